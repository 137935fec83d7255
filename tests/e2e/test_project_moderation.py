"""The projects' moderation desk in a real browser: a moderator hides a flagged question with a reason
(shown in its place on the public page), publishes a held idea and bars its author; axe finds no serious
violation on the desk or the demographics page in Russian or English; screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.consultations import contributions, services
from gorod.consultations.demographics import DemographicAnswer, DemographicQuestion
from gorod.consultations.ideas.services import idea_post
from gorod.consultations.models import Module
from gorod.consultations.moderation import Ban
from gorod.consultations.questions.services import question_ask
from gorod.core import clock
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user
from tests.e2e.test_consultation_qa import HOSTILE, _english, _serious

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk_items(city):
    now = clock.now()
    project = services.project_create(
        municipality=city,
        slug="park",
        title="Новый облик парка",
        published=True,
        phase_list=[
            services.NewPhase(
                title="Идеи", starts=now - dt.timedelta(days=3), ends=now + dt.timedelta(days=9)
            )
        ],
    )
    phase = project.phase_list()[0]
    qa = services.module_add(phase=phase, kind="questions", title="Вопросы")
    wall = services.module_add(phase=phase, kind="idea_wall", title="Стена идей")
    anna, boris = staff_user("anna", "citizen"), staff_user("boris", "citizen")
    question = question_ask(module=qa, user=anna, text=f"Зачем вырубать липы? {HOSTILE}")
    contributions.flag_add(module=qa, target="question", item=question, user=boris, reason="Оскорбления")
    services.project_update(project=project, premoderated=True)
    idea = idea_post(module=Module.objects.get(pk=wall.pk), user=boris, title="Площадка для собак")
    age = DemographicQuestion.objects.create(
        municipality=city, key="age", label="Возраст", choices=["до 18", "18–34", "35–64", "65 и старше"]
    )
    # 25 participants answered the age question: the count is shown (at 24 it would not be).
    for i in range(25):
        person = staff_user(f"p{i}", "citizen")
        services.participation_record(project=project, user=person)
        DemographicAnswer.objects.create(question=age, user=person, choice=age.choices[i % 3])
    DemographicQuestion.objects.create(
        municipality=city, key="years", label="Сколько лет живёте здесь", choices=["<1", "1–5", ">5"]
    )
    return qa, question, idea, boris


def test_moderator_hides_publishes_and_bars(browser, live_server, desk_items):
    qa, question, idea, boris = desk_items
    moderator = staff_user("mod", "moderator")
    context, page = signed_in_page(browser, live_server, moderator)
    try:
        page.goto("/backoffice/projects/")
        page.get_by_role("link", name="Модерация проектов").click()
        page.wait_for_url("**/backoffice/projects/moderation/")
        assert HOSTILE in page.locator("#flagged").inner_text()
        page.fill(f"#hide-question-{question.pk}", "Оскорбления в адрес жителей")
        page.locator(f"#hide-question-{question.pk} ~ button").click()
        page.locator(".messages").wait_for()
        page.locator("#awaiting form[action$='/publish/'] button").click()
        page.locator(".messages").wait_for()
        page.goto("/backoffice/projects/moderation/")
        assert "Площадка для собак" not in page.locator("#awaiting").inner_text()
    finally:
        context.close()
    question.refresh_from_db()
    idea.refresh_from_db()
    assert question.hidden and not idea.awaiting

    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    try:
        page = context.new_page()
        page.goto(f"/projects/park/questions/{qa.pk}/")
        assert "Оскорбления в адрес жителей" in page.locator(f"#question-{question.pk}").inner_text()
    finally:
        context.close()

    # Bar the author of a held contribution from the desk.
    held = idea_post(module=Module.objects.get(pk=idea.module_id), user=boris, title="Ещё одна идея")
    context, page = signed_in_page(browser, live_server, moderator)
    try:
        page.goto("/backoffice/projects/moderation/")
        page.locator(f"#ban-reason-a-idea-{held.pk}").locator("xpath=ancestor::details").locator(
            "summary"
        ).click()
        page.fill(f"#ban-reason-a-idea-{held.pk}", "Спам")
        page.locator(f"#ban-reason-a-idea-{held.pk} ~ button").click()
        page.locator(".messages").wait_for()
        assert "Спам" in page.locator("#bans").inner_text()
    finally:
        context.close()
    assert Ban.objects.get().user == boris


@pytest.mark.parametrize("language", ["ru", "en"])
def test_desk_is_accessible(browser, live_server, desk_items, language):
    moderator = staff_user("mod", "moderator")
    context, page = signed_in_page(browser, live_server, moderator)
    try:
        if language == "en":
            _english(page)
        axe = Axe()
        for name, url in (
            ("desk", "/backoffice/projects/moderation/"),
            ("demographics", "/backoffice/projects/park/demographics/"),
            ("about-you", "/projects/about-you/"),
        ):
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            assert _serious(axe.run(page)) == [], url
            screenshot(page, f"project-moderation-{name}-{language}-1280")
            page.set_viewport_size({"width": 390, "height": 844})
            screenshot(page, f"project-moderation-{name}-{language}-390")
    finally:
        context.close()
