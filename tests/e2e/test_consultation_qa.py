"""Q&A and idea wall in a real browser: a resident asks, an official answers (marked official), another
resident upvotes; the idea wall takes an idea and a support; axe finds no serious violation on either page
in Russian or English; screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.consultations import services
from gorod.consultations.ideas.models import Idea, IdeaSupport
from gorod.consultations.ideas.services import idea_comment, idea_post
from gorod.consultations.questions.models import Answer, Question, QuestionUpvote
from gorod.core import clock
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user

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
                title="Сбор идей", starts=now - dt.timedelta(days=3), ends=now + dt.timedelta(days=10)
            )
        ],
    )
    phase = project.phase_list()[0]
    qa = services.module_add(phase=phase, kind="questions", title="Вопросы администрации")
    wall = services.module_add(phase=phase, kind="idea_wall", title="Стена идей")
    return qa, wall


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _english(page) -> None:
    page.goto("/")
    page.locator(
        "form[action*='setlang'] button[value='en'], form[action*='setlang'] [type=submit]"
    ).first.click()


def test_ask_answer_as_staff_and_upvote(browser, live_server, modules):
    qa, _wall = modules
    url = f"/projects/park/questions/{qa.pk}/"
    asker = staff_user("anna", "citizen")
    context, page = signed_in_page(browser, live_server, asker)
    try:
        page.goto("/projects/park/")
        page.get_by_role("link", name="Вопросы администрации", exact=True).click()
        page.wait_for_url(f"**{url}")
        page.fill("#question-text", f"Когда поставят скамейки? {HOSTILE}")
        page.locator("#ask button[type=submit]").click()
        page.locator(".messages").wait_for()
        question = Question.objects.get()
        assert question.author == asker
        assert HOSTILE in page.locator(f"#question-{question.pk} .cp-item-text").inner_text()
    finally:
        context.close()

    official = staff_user("olga", "executor")
    context, page = signed_in_page(browser, live_server, official)
    try:
        page.goto(url)
        page.locator(f"#question-{question.pk} .cp-answer-form summary").click()
        page.fill(f"#answer-{question.pk}-text", "В июне, вместе с новыми дорожками.")
        page.locator(f"#question-{question.pk} .cp-answer-form button[type=submit]").click()
        page.locator(".messages").wait_for()
        assert Answer.objects.get().official
        page.locator(f"#question-{question.pk} .cp-official-badge").wait_for()
    finally:
        context.close()

    neighbour = staff_user("boris", "citizen")
    context, page = signed_in_page(browser, live_server, neighbour)
    try:
        page.goto(url)
        page.locator(f"#question-{question.pk} .cp-item-actions button[type=submit]").click()
        page.locator(".messages").wait_for()
        assert QuestionUpvote.objects.filter(question=question, user=neighbour).count() == 1
        # Upvoted once: the button is gone, the count says 1.
        assert page.locator(f"#question-{question.pk} .cp-item-actions button").count() == 0
        assert "1" in page.locator(f"#question-{question.pk} .cp-count").inner_text()
    finally:
        context.close()


def test_post_and_support_an_idea(browser, live_server, modules):
    _qa, wall = modules
    author = staff_user("anna", "citizen")
    context, page = signed_in_page(browser, live_server, author)
    try:
        page.goto(f"/projects/park/ideas/{wall.pk}/")
        page.fill("#idea-title", "Площадка для собак")
        page.fill("#idea-text", "У пруда, с оградой.")
        page.locator("#post button[type=submit]").click()
        page.locator(".messages").wait_for()
        idea = Idea.objects.get()
    finally:
        context.close()
    supporter = staff_user("boris", "citizen")
    context, page = signed_in_page(browser, live_server, supporter)
    try:
        page.goto(f"/projects/park/ideas/{wall.pk}/")
        page.locator(f"#idea-{idea.pk} .cp-item-actions button[type=submit]").click()
        page.locator(".messages").wait_for()
        assert IdeaSupport.objects.filter(idea=idea, user=supporter).exists()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_qa_and_idea_wall_are_accessible(browser, live_server, modules, language):
    qa, wall = modules
    resident = staff_user("anna", "citizen")
    official = staff_user("olga", "executor")
    from gorod.consultations.questions.services import answer_post, question_ask

    asked = question_ask(module=qa, user=resident, text="Сохранят ли старые липы вдоль главной аллеи?")
    answer_post(question=asked, user=official, text="Да, все здоровые деревья остаются.")
    question_ask(module=qa, user=resident, text=f"Будет ли освещение? {HOSTILE}")
    idea = idea_post(module=wall, user=resident, title="Площадка для собак", text="У пруда, с оградой.")
    idea_comment(idea=idea, user=official, text="Хорошая идея, посмотрим место.")
    idea_post(module=wall, user=resident, title="Велодорожка через весь парк")

    moderator = staff_user("mod", "moderator")
    context, page = signed_in_page(browser, live_server, moderator)
    try:
        if language == "en":
            _english(page)
        axe = Axe()
        for name, url in (
            ("qa", f"/projects/park/questions/{qa.pk}/"),
            ("ideas", f"/projects/park/ideas/{wall.pk}/"),
            ("bo-unanswered", "/backoffice/projects/park/"),
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
    # Anonymous visitors read, and are told to sign in.
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    try:
        page = context.new_page()
        page.goto(f"/projects/park/questions/{qa.pk}/")
        page.locator(".cp-refusal a").wait_for()
        assert _serious(Axe().run(page)) == []
    finally:
        context.close()
