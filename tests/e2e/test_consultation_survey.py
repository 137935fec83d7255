"""Survey and draft text in a real browser: a resident answers every kind of question (the point by a click
on the map) and sees the results as charts with tables; another resident comments a paragraph of the
draft; axe finds no serious violation on the survey, its results and the draft in Russian or English;
screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.consultations import services
from gorod.consultations.surveys.models import SurveyAnswer, SurveyResponse
from gorod.consultations.surveys.services import question_add, response_submit
from gorod.consultations.text_review.models import ParagraphComment
from gorod.consultations.text_review.services import draft_set, paragraph_comment
from gorod.core import clock
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user
from tests.e2e.test_consultation_qa import _english, _serious

pytestmark = pytest.mark.django_db(transaction=True)
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def modules(city):
    now = clock.now()
    project = services.project_create(
        municipality=city,
        slug="park",
        title="Новый облик парка",
        district=city.districts.get(slug="north"),
        topic="parks",
        published=True,
        phase_list=[
            services.NewPhase(
                title="Опрос", starts=now - dt.timedelta(days=3), ends=now + dt.timedelta(days=10)
            )
        ],
    )
    phase = project.phase_list()[0]
    admin = staff_user("boss", "city_admin")
    survey = services.module_add(phase=phase, kind="survey", title="Опрос о парке")
    q = [
        question_add(
            module=survey, actor=admin, kind="single", text="Как часто вы бываете в парке?",
            options=["Каждый день", "Раз в неделю", "Реже"],
        ),
        question_add(
            module=survey, actor=admin, kind="multiple", text="Что вы там делаете?",
            options=["Гуляю", "Бегаю", "Читаю"],
        ),
        question_add(module=survey, actor=admin, kind="scale", text="Насколько там безопасно?", scale_max=5),
        question_add(
            module=survey, actor=admin, kind="ranking", text="Что сделать первым?",
            options=["Свет", "Скамейки", "Дорожки"],
        ),
        question_add(module=survey, actor=admin, kind="text", text="Что ещё?", required=False),
        question_add(module=survey, actor=admin, kind="point", text="Где неуютно?", required=False),
    ]  # fmt: skip
    draft = services.module_add(phase=phase, kind="text_review", title="Проект правил парка")
    draft_set(
        module=draft,
        actor=admin,
        text="## Правила\n\nСобаки — на поводке.\n\nКостры запрещены, кроме **оборудованных** мест.",
    )
    return survey, q, draft


def test_answer_a_survey_and_see_the_results(browser, live_server, modules):
    survey, q, _draft = modules
    resident = staff_user("anna", "citizen")
    context, page = signed_in_page(browser, live_server, resident)
    try:
        page.goto("/projects/park/")
        page.get_by_role("link", name="Опрос о парке", exact=True).click()
        page.wait_for_url(f"**/survey/{survey.pk}/")
        page.get_by_label("Раз в неделю").check()
        page.get_by_label("Гуляю").check()
        page.get_by_label("Читаю").check()
        page.locator(f"#q{q[2].pk}-v4").check()
        for i, place in enumerate(["2", "1", "3"]):
            page.select_option(f"#q{q[3].pk}-{i}", place)
        page.fill(f"#q{q[4].pk}-text", f"Больше урн {HOSTILE}")
        # The point: a click in the middle of the map (the city's centre) fills the coordinates.
        page.locator(".cp-survey-map[data-drawn]").wait_for()
        page.locator(".cp-survey-map").click()
        assert page.input_value(f"#q{q[5].pk}-lat") != ""
        page.get_by_role("button", name="Отправить ответы").click()
        page.wait_for_url(f"**/survey/{survey.pk}/results/")
        page.locator(".messages").wait_for()
        response = SurveyResponse.objects.get()
        assert response.user == resident
        assert SurveyAnswer.objects.filter(response=response).count() == 1 + 2 + 1 + 3 + 1 + 1
        assert page.locator("svg.cp-chart").count() == 4
        row = page.locator(f"#r{q[0].pk} ~ table tr", has_text="Раз в неделю")
        assert "1" in row.inner_text()
        page.goto(f"/projects/park/survey/{survey.pk}/")
        page.get_by_text("Вы уже ответили на этот опрос").wait_for()
    finally:
        context.close()


def test_comment_a_paragraph(browser, live_server, modules):
    _survey, _q, draft = modules
    paragraph = draft.paragraphs.order_by("position")[1]
    resident = staff_user("boris", "citizen")
    context, page = signed_in_page(browser, live_server, resident)
    try:
        page.goto(f"/projects/park/draft/{draft.pk}/")
        page.locator(f"#paragraph-{paragraph.pk} summary").click()
        page.fill(f"#paragraph-{paragraph.pk}-text", f"А где площадка для собак? {HOSTILE}")
        page.locator(f"#paragraph-{paragraph.pk} button[type=submit]").click()
        page.locator(".messages").wait_for()
        comment = ParagraphComment.objects.get()
        assert comment.paragraph == paragraph
        assert HOSTILE in page.locator(f"#paragraph_comment-{comment.pk} .cp-item-text").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_survey_results_and_draft_are_accessible(browser, live_server, modules, language):
    survey, q, draft = modules
    for i in range(6):
        person = staff_user(f"r{i}", "citizen")
        response_submit(
            module=survey,
            user=person,
            answers={
                q[0].pk: [str(i % 3)],
                q[1].pk: ["0", str(1 + i % 2)],
                q[2].pk: [str(1 + i % 5)],
                q[3].pk: ["1", "2", "3"] if i % 2 else ["3", "1", "2"],
                q[4].pk: [f"Ответ {i} {HOSTILE}"],
            },
        )
    first = draft.paragraphs.order_by("position")[1]
    paragraph_comment(paragraph=first, user=person, text="Согласен, но нужна площадка.")
    moderator = staff_user("mod", "moderator")
    context, page = signed_in_page(browser, live_server, moderator)
    try:
        if language == "en":
            _english(page)
        axe = Axe()
        for name, url in (
            ("survey", f"/projects/park/survey/{survey.pk}/"),
            ("survey-results", f"/projects/park/survey/{survey.pk}/results/"),
            ("draft", f"/projects/park/draft/{draft.pk}/"),
        ):
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            assert _serious(axe.run(page)) == [], url
            screenshot(page, f"consultations-{name}-{language}-1280")
            page.set_viewport_size({"width": 390, "height": 844})
            screenshot(page, f"consultations-{name}-{language}-390")
    finally:
        context.close()
