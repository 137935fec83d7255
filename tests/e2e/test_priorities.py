"""A citizen plays the budget-priorities game in a real browser: on a desktop, on a 390 px phone and
with JavaScript off, then compares the choice with everyone's (the demo game's 320 seeded plays)."""

from __future__ import annotations

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.budgeting.priorities.models import Choice, Play
from gorod.core import clock
from gorod.demo.budgeting import priorities as demo
from tests.e2e.conftest import SHOTS, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

GAME = "/pb/priorities/spb-priorities/"


@pytest.fixture
def game(city):
    demo.seed(municipality=city, seed=1, anchor=clock.today(), stdout=io.StringIO())
    return city.priority_games.get()


def _card(page, key: str):
    from gorod.budgeting.priorities.models import Action

    return page.locator(f"label[for='action-{Action.objects.get(key=key).pk}']")


def _bar_value(page, name: str) -> str:
    return page.locator(".prio-bar-row", has_text=name).locator(".prio-bar-value").inner_text()


def _screen(page, name: str) -> None:
    """What the phone's screen shows (a full-page shot would draw the sticky panel mid-page)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_citizen_plays_on_a_desktop_changes_the_choice_and_compares(page, game):
    page.goto(GAME)
    coins = page.locator("#prio-coins")
    assert coins.inner_text().strip() == "Осталось монет: 100 из 100"
    assert not page.locator(".prio-recalc").is_visible()  # JavaScript redraws, no round trip

    for key in ("metro", "electric-buses", "trees"):
        _card(page, key).click()
    assert coins.inner_text().strip() == "Осталось монет: 20 из 100"
    assert _bar_value(page, "Чистый воздух") == "+8"  # metro +2, electric buses +3, trees +3
    assert _bar_value(page, "Экономия бюджета") == "\u22126"  # -3, -2, -1
    assert "Высадить 10 000 деревьев" in page.locator("#prio-change").inner_text()

    # The school costs 35 with 20 left: the page says so and does not tick it.
    school = _card(page, "new-school")
    assert "не хватает монет: 15" in school.inner_text()
    school.click()
    assert not page.locator("#action-" + school.get_attribute("for").split("-")[1]).is_checked()
    assert page.locator("#prio-change").inner_text() == (
        "Не хватает монет на «Построить школу в новом квартале»: нужно ещё 15. "
        "Сначала уберите какое-нибудь действие."
    )
    screenshot(page, "priorities-desktop-play")
    assert _serious(Axe().run(page)) == []

    page.get_by_role("button", name="Отправить мой выбор").click()
    page.wait_for_url(re.compile(r"/results/$"))
    main = page.locator("main").inner_text()
    assert "Ваш выбор сохранён" in main and "80 / 100" in main
    assert str(demo.PLAYERS + 1) in page.locator(".prio-summary").inner_text()
    assert page.locator(".prio-share-mine").count() == 3
    screenshot(page, "priorities-desktop-results")
    assert _serious(Axe().run(page)) == []

    page.get_by_role("link", name="Изменить мой выбор").click()
    page.wait_for_url(re.compile(GAME + "$"))
    assert page.locator("input.prio-check:checked").count() == 3
    assert coins.inner_text().strip() == "Осталось монет: 20 из 100"
    _card(page, "metro").click()
    _card(page, "new-school").click()
    page.get_by_role("button", name="Отправить мой выбор").click()
    page.wait_for_url(re.compile(r"/results/$"))
    assert Play.objects.count() == demo.PLAYERS + 1  # replaced, not added
    mine = Play.objects.order_by("-pk").first()  # created after the demo plays
    assert sorted(Choice.objects.filter(play=mine).values_list("action__key", flat=True)) == [
        "electric-buses",
        "new-school",
        "trees",
    ]


def test_a_citizen_plays_on_a_phone(browser, live_server, game):
    context = browser.new_context(
        base_url=live_server.url,
        locale="ru-RU",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    try:
        page.goto(GAME)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
        panel = page.locator("#prio-panel")
        screenshot(page, "priorities-phone-start")
        # Once the actions scroll, the budget panel stays at the bottom of the screen above them.
        page.evaluate("window.scrollTo(0, 600)")  # wait_for_function would need eval, which the CSP forbids
        assert page.evaluate("window.scrollY") == 600
        box = panel.bounding_box()
        assert abs(box["y"] + box["height"] - 844) < 1 and box["height"] < 250
        _screen(page, "priorities-phone-scrolled")

        for key in ("school-crossings", "yards", "clubs"):
            _card(page, key).tap()
        assert page.locator("#prio-coins").inner_text().strip() == "Осталось монет: 60 из 100"
        assert not page.locator("#prio-bars").is_visible()
        page.get_by_role("button", name="Приоритеты").tap()
        assert page.locator("#prio-bars").is_visible()
        assert _bar_value(page, "Детям и молодёжи") == "+6"
        _screen(page, "priorities-phone-bars")
        page.get_by_role("button", name="Приоритеты").tap()

        page.get_by_role("button", name="Отправить мой выбор").tap()
        page.wait_for_url(re.compile(r"/results/$"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert "40 / 100" in page.locator(".prio-summary").inner_text()
        screenshot(page, "priorities-phone-results")
    finally:
        context.close()


def test_without_javascript_the_server_recalculates_and_saves(browser, live_server, game):
    context = browser.new_context(
        base_url=live_server.url,
        locale="ru-RU",
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
    )
    page = context.new_page()
    try:
        page.goto(GAME)
        _card(page, "metro").click()
        _card(page, "trees").click()
        page.get_by_role("button", name="Пересчитать").click()
        assert "Пересчитано" in page.locator("main").inner_text()
        assert "Осталось монет: 45 из 100" in page.locator("#prio-coins").inner_text()
        assert _bar_value(page, "Чистый воздух") == "+5"
        assert Play.objects.count() == demo.PLAYERS
        screenshot(page, "priorities-nojs-recalculated")
        page.get_by_role("button", name="Отправить мой выбор").click()
        page.wait_for_url(re.compile(r"/results/$"))
        assert Play.objects.count() == demo.PLAYERS + 1
    finally:
        context.close()
