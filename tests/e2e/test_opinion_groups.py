"""Opinion groups in a real browser: a resident votes on the statement shown, changes a vote in the list and
adds a statement; staff (a moderator) hide a statement with a reason and see the flagged one on the desk;
the groups computed by the worker show as a scatter with their table; axe finds no serious violation in
Russian or English; screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.accounts.models import User
from gorod.consultations import services
from gorod.consultations.contributions import flag_add
from gorod.consultations.opinion_groups.models import Statement, StatementVote
from gorod.consultations.opinion_groups.services import recompute_requested, statement_add, vote_cast
from gorod.core import clock
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user

pytestmark = pytest.mark.django_db(transaction=True)
HOSTILE = '<img src=x onerror="alert(1)">'
TEXTS = [
    "На площади нужно больше деревьев",
    "Переходы должны быть безопасными",
    "Закрыть площадь для машин",
    "Сохранить все парковочные места",
    "Устроить рынок выходного дня",
    "Убрать все киоски с площади",
    "Поставить фонтан в центре",
    "Сделать велодорожку до набережной",
]


@pytest.fixture
def conversation(city):
    now = clock.now()
    project = services.project_create(
        municipality=city,
        slug="square",
        title="Какой быть площади у вокзала",
        district=city.districts.get(slug="north"),
        topic="streets",
        published=True,
        phase_list=[
            services.NewPhase(
                title="Обсуждение", starts=now - dt.timedelta(days=3), ends=now + dt.timedelta(days=10)
            )
        ],
    )
    return services.module_add(phase=project.phase_list()[0], kind="opinion_groups", title="Группы мнений")


def _crowd(module, n: int = 24) -> list[Statement]:
    """Two camps: both agree on the first two statements, they split on the rest."""
    people = [
        User.objects.create_user(username=f"crowd-{i}", password="x", role=User.Role.CITIZEN)
        for i in range(n)
    ]
    statements = [statement_add(module=module, user=people[0], text=t) for t in TEXTS]
    for i, person in enumerate(people):
        for j, statement in enumerate(statements):
            choice = 1 if j < 2 else (1 if (i < n * 0.6) == (j % 2 == 0) else -1)
            vote_cast(statement=statement, user=person, choice=choice)
    recompute_requested()  # what the worker does
    return statements


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


def test_a_resident_votes_changes_a_vote_and_adds_a_statement(browser, live_server, conversation):
    statements = _crowd(conversation)
    url = f"/projects/square/opinions/{conversation.pk}/"
    resident = staff_user("anna", "citizen")
    context, page = signed_in_page(browser, live_server, resident)
    try:
        page.goto("/projects/square/")
        page.get_by_role("link", name="Группы мнений", exact=True).click()
        page.wait_for_url(f"**{url}")
        shown = page.locator("#next-statement p").inner_text()
        page.locator("#vote .og-agree").click()
        page.locator(".messages").wait_for()
        first = Statement.objects.get(module=conversation, text=shown)
        assert StatementVote.objects.get(statement=first, user=resident).choice == 1
        # The next card is another statement; disagree with it.
        assert page.locator("#next-statement p").inner_text() != shown
        page.locator("#vote .og-disagree").click()
        page.locator(".messages").wait_for()
        assert StatementVote.objects.filter(user=resident).count() == 2
        # Change the first vote in the list: pass.
        page.locator(f"#statement-{first.pk} button[value='0']").click()
        page.locator(f"#statement-{first.pk} button[value='0'][aria-pressed='true']").wait_for()
        assert StatementVote.objects.get(statement=first, user=resident).choice == 0
        assert StatementVote.objects.filter(user=resident).count() == 2
        # Add a statement (hostile markup stays text).
        page.fill("#statement-text", f"Нужна крытая стоянка для велосипедов {HOSTILE}")
        page.locator("#add button[type=submit]").click()
        page.locator(".messages").wait_for()
        mine = Statement.objects.get(author=resident)
        assert HOSTILE in page.locator(f"#statement-{mine.pk} .cp-item-text").inner_text()
        # The groups the worker computed: a picture and its table.
        page.locator(".og-scatter").wait_for()
        assert page.locator(".og-group").count() == 2
        assert statements[0].text in page.locator("#consensus").inner_text()
    finally:
        context.close()


def test_staff_hide_a_statement_and_find_the_flagged_one_on_the_desk(browser, live_server, conversation):
    _crowd(conversation, n=12)
    resident = User.objects.get(username="crowd-1")
    rude = statement_add(module=conversation, user=resident, text="Все водители — преступники")
    flag_add(module=conversation, target="statement", item=rude, user=User.objects.get(username="crowd-2"))
    moderator = staff_user("mod", "moderator")
    context, page = signed_in_page(browser, live_server, moderator)
    try:
        page.goto("/backoffice/projects/moderation/")
        assert "Все водители — преступники" in page.locator("main").inner_text()
        page.goto(f"/projects/square/opinions/{conversation.pk}/")
        page.locator(f"#statement-{rude.pk} summary", has_text="Скрыть").click()
        page.fill(f"#hide-statement-{rude.pk}", "Оскорбление")
        page.locator(f"#statement-{rude.pk} .cp-moderate button[type=submit]").click()
        page.locator(".messages").wait_for()
        rude.refresh_from_db()
        assert rude.hidden and rude.hidden_reason == "Оскорбление"
        assert "Оскорбление" in page.locator(f"#statement-{rude.pk}").inner_text()
        assert "преступники" not in page.locator("main").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_page_is_accessible_with_and_without_groups(browser, live_server, conversation, language):
    _crowd(conversation)
    statement_add(
        module=conversation, user=User.objects.get(username="crowd-3"), text=f"Без разметки {HOSTILE}"
    )
    resident = staff_user("anna", "citizen")
    url = f"/projects/square/opinions/{conversation.pk}/"
    context, page = signed_in_page(browser, live_server, resident)
    try:
        if language == "en":
            _english(page)
        axe = Axe()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        page.locator(".og-table-box summary").click()
        assert _serious(axe.run(page)) == [], url
        screenshot(page, f"opinion-groups-{language}-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        assert _serious(axe.run(page)) == [], url
        screenshot(page, f"opinion-groups-{language}-390")
    finally:
        context.close()
    # A visitor reads the groups and is asked to sign in to vote.
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    try:
        page = context.new_page()
        page.goto(url)
        page.locator("#vote .cp-refusal a").wait_for()
        assert _serious(Axe().run(page)) == []
    finally:
        context.close()
