"""Staff flows of the consultation modules in a real browser, beside the residents' ones in
test_map_feedback, test_consultation_qa and test_consultation_survey: a pre-moderated map pin is held,
published at the desk, flagged by a resident and hidden with a reason shown in its place; a moderator
hides an idea and a paragraph comment in place; staff download a survey's CSV (formula-safe); a city
administrator publishes the final report and every follower and participant gets it in the outbox.
Screenshots at 1280 and 390 px; axe on the pages these flows add."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.consultations import services
from gorod.consultations.ideas.services import idea_post
from gorod.consultations.map_feedback.models import MapContribution
from gorod.consultations.questions.services import question_ask
from gorod.consultations.surveys.services import question_add, response_submit
from gorod.consultations.text_review.services import draft_set, paragraph_comment
from gorod.core import clock
from gorod.notifications.models import Delivery
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user
from tests.e2e.test_consultation_qa import _serious

pytestmark = pytest.mark.django_db(transaction=True)
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def project(city):
    now = clock.now()
    return services.project_create(
        municipality=city,
        slug="park",
        title="Новый облик парка",
        district=city.districts.get(slug="north"),
        topic="parks",
        published=True,
        phase_list=[
            services.NewPhase(
                title="Сбор мнений", starts=now - dt.timedelta(days=3), ends=now + dt.timedelta(days=10)
            )
        ],
    )


def _module(project, kind: str, title: str):
    return services.module_add(phase=project.phase_list()[0], kind=kind, title=title)


def test_a_held_pin_is_published_flagged_and_hidden_at_the_desk(browser, live_server, project):
    board = _module(project, "map_feedback", "Карта парка")
    services.project_update(project=project, premoderated=True)
    anna, boris = staff_user("anna", "citizen"), staff_user("boris", "citizen")
    moderator = staff_user("mod", "moderator")
    url = f"/projects/park/map/{board.pk}/"

    context, page = signed_in_page(browser, live_server, anna)
    try:
        page.goto(url)
        page.fill("#mf-lat", "59.9851")
        page.fill("#mf-lon", "30.2601")
        page.locator("input[name=sentiment][value='1']").check()
        page.fill("#mf-comment", f"Тёмная аллея {HOSTILE}")
        page.locator("#contribute button[type=submit]").click()
        page.locator(".messages").wait_for()
        pin = MapContribution.objects.get()
        assert pin.awaiting and pin.author == anna
        mine = page.locator(f"#c{pin.pk}")
        assert "Ожидает модерации" in mine.inner_text() and HOSTILE in mine.inner_text()
        assert _serious(Axe().run(page)) == [], "map page with a held contribution"
        screenshot(page, "map-feedback-awaiting-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "map-feedback-awaiting-390")
    finally:
        context.close()

    # The map's staff page lists it as held, with Publish.
    context, page = signed_in_page(browser, live_server, staff_user("boss", "city_admin"))
    try:
        page.goto(f"{url}staff/")
        held_here = page.locator(f"#moderation #c{pin.pk}")
        assert "Ожидает модерации" in held_here.inner_text()
        assert held_here.get_by_role("button", name="Опубликовать").count() == 1
        assert _serious(Axe().run(page)) == [], "map staff page with a held contribution"
        screenshot(page, "map-feedback-staff-awaiting-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "map-feedback-staff-awaiting-390")
    finally:
        context.close()

    context, page = signed_in_page(browser, live_server, boris)
    try:
        page.goto(url)
        assert page.locator(f"#c{pin.pk}").count() == 0  # not his, not published
    finally:
        context.close()

    context, page = signed_in_page(browser, live_server, moderator)
    try:
        page.goto("/backoffice/projects/moderation/")
        held = page.locator("#awaiting li", has_text="Тёмная аллея")
        assert "Очень плохо, точка: Тёмная аллея" in held.inner_text()
        screenshot(page, "project-moderation-map-awaiting-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "project-moderation-map-awaiting-390")
        page.set_viewport_size({"width": 1280, "height": 900})
        held.locator("form[action$='/publish/'] button").click()
        page.locator(".messages").wait_for()
    finally:
        context.close()
    pin.refresh_from_db()
    assert not pin.awaiting

    context, page = signed_in_page(browser, live_server, boris)
    try:
        page.goto(url)
        item = page.locator(f"#c{pin.pk}")
        item.locator("summary", has_text="Пожаловаться модератору").click()
        page.fill(f"#flag-map_contribution-{pin.pk}", "Это реклама")
        item.locator("form[action*='/flag/'] button").click()
        page.locator(".messages").wait_for()
    finally:
        context.close()

    context, page = signed_in_page(browser, live_server, moderator)
    try:
        page.goto("/backoffice/projects/moderation/")
        assert "Это реклама" in page.locator("#flagged").inner_text()
        assert _serious(Axe().run(page)) == [], "desk with a map contribution"
        screenshot(page, "project-moderation-map-flagged-1280")
        page.fill(f"#hide-map_contribution-{pin.pk}", "Реклама")
        page.locator(f"#hide-map_contribution-{pin.pk} ~ button").click()
        page.locator(".messages").wait_for()
        page.goto(url)
        assert "Реклама" in page.locator(f"#c{pin.pk}").inner_text()
        assert HOSTILE not in page.locator(f"#c{pin.pk}").inner_text()
        heat = page.request.get(f"{url}heatmap.geojson").json()
        assert heat["features"] == []
        screenshot(page, "map-feedback-hidden-by-desk-1280")
    finally:
        context.close()


def test_a_moderator_hides_an_idea_and_a_paragraph_comment_in_place(browser, live_server, project):
    wall = _module(project, "idea_wall", "Стена идей")
    draft = _module(project, "text_review", "Правила парка")
    admin = staff_user("boss", "city_admin")
    draft_set(module=draft, actor=admin, text="Собаки на поводке.\n\nКостры запрещены.")
    resident = staff_user("anna", "citizen")
    idea = idea_post(module=wall, user=resident, title="Купите всем машины")
    paragraph = draft.paragraphs.order_by("position")[0]
    comment = paragraph_comment(paragraph=paragraph, user=resident, text=f"Оскорбительный текст {HOSTILE}")

    context, page = signed_in_page(browser, live_server, staff_user("mod", "moderator"))
    try:
        page.goto(f"/projects/park/ideas/{wall.pk}/")
        card = page.locator(f"#idea-{idea.pk}")
        card.locator("summary", has_text="Скрыть (модератор)").click()
        page.fill(f"#hide-idea-{idea.pk}", "Не по теме проекта")
        card.locator("form.cp-moderate button").click()
        page.locator(".messages").wait_for()
        assert "Не по теме проекта" in page.locator(f"#idea-{idea.pk}").inner_text()
        assert "Купите всем машины" not in page.locator(f"#idea-{idea.pk}").inner_text()

        page.goto(f"/projects/park/draft/{draft.pk}/")
        box = page.locator(f"#paragraph_comment-{comment.pk}")
        box.locator("summary", has_text="Скрыть (модератор)").click()
        page.fill(f"#hide-paragraph_comment-{comment.pk}", "Оскорбления")
        box.locator("form.cp-moderate button").click()
        page.locator(".messages").wait_for()
        shown = page.locator(f"#paragraph_comment-{comment.pk}").inner_text()
        assert "Оскорбления" in shown and "Оскорбительный текст" not in shown
        screenshot(page, "text-review-hidden-comment-1280")
    finally:
        context.close()
    idea.refresh_from_db()
    comment.refresh_from_db()
    assert idea.hidden and comment.hidden and comment.hidden_reason == "Оскорбления"


def test_staff_download_the_survey_csv(browser, live_server, project):
    survey = _module(project, "survey", "Опрос о парке")
    admin = staff_user("boss", "city_admin")
    single = question_add(
        module=survey,
        actor=admin,
        kind="single",
        text="Как часто вы бываете в парке?",
        options=["Часто", "Редко"],
    )
    text = question_add(module=survey, actor=admin, kind="text", text="Что ещё?", required=False)
    for i, said in enumerate(['=HYPERLINK("http://evil")', "Больше скамеек"]):
        response_submit(
            module=survey, user=staff_user(f"r{i}", "citizen"), answers={single.pk: [str(i)], text.pk: [said]}
        )
    results = f"/projects/park/survey/{survey.pk}/results/"

    context, page = signed_in_page(browser, live_server, staff_user("anna", "citizen"))
    try:
        page.goto(results)
        assert page.get_by_role("link", name="Скачать ответы (CSV)").count() == 0
        assert page.request.get(f"/projects/park/survey/{survey.pk}/responses.csv").status == 403
    finally:
        context.close()

    context, page = signed_in_page(browser, live_server, admin)
    try:
        page.goto(results)
        with page.expect_download() as download:
            page.locator("a[href$='/responses.csv']").click()
        content = download.value.path().read_text(encoding="utf-8-sig")
    finally:
        context.close()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][2:] == ["Как часто вы бываете в парке?", "Что ещё?"]
    assert sorted(r[3] for r in rows[1:]) == sorted(['\'=HYPERLINK("http://evil")', "Больше скамеек"])
    assert "anna" not in content and "example.org" not in content


def test_the_final_report_reaches_followers_and_participants(browser, live_server, project):
    qa = _module(project, "questions", "Вопросы")
    follower, asker = staff_user("olga", "citizen"), staff_user("ivan", "citizen")
    services.follow_user(project=project, user=follower)
    question_ask(module=qa, user=asker, text="Когда начнут работы в парке?")
    before = set(Delivery.objects.values_list("pk", flat=True))

    context, page = signed_in_page(browser, live_server, staff_user("boss", "city_admin"))
    try:
        page.goto("/backoffice/projects/park/")
        page.fill("#final-final_report", "Мы услышали: нужны скамейки. Решили: поставить 40.")
        page.locator("#final button[type=submit]").click()
        page.locator(".messages").wait_for()
        page.goto("/projects/park/")
        assert "поставить 40" in page.locator("main").inner_text()
    finally:
        context.close()
    mails = {d.recipient: json.loads(d.payload) for d in Delivery.objects.exclude(pk__in=before)}
    assert set(mails) == {"olga@example.org", "ivan@example.org"}
    assert all("поставить 40" in m["body"] for m in mails.values())
