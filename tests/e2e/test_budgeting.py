"""A resident votes in a real browser, changes the ballot, checks both receipts, and reads the results
page — at 1280 px and on a 390 px phone; plus an axe check of the ballot and results pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.budgeting.models import Ballot, Project
from gorod.budgeting.services import NewPhase, process_create, results_publish
from gorod.core import clock
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.timedelta(days=1)


@pytest.fixture
def process(city):
    north = city.districts.get(slug="north")
    now = clock.now()
    phases = [
        NewPhase(kind="review", starts=now - 20 * DAY, ends=now - 10 * DAY),
        NewPhase(kind="ballot", starts=now - 10 * DAY, ends=now + 10 * DAY),
        NewPhase(kind="results", starts=now + 10 * DAY, ends=now + 40 * DAY),
    ]
    p = process_create(
        municipality=city,
        slug="vote-north",
        title="Бюджет Северного района",
        budgets=[(north, Decimal(1000))],
        phase_list=phases,
        max_choices=2,
        tally_rule="mes",
        min_age=0,
    )
    for i, (title, cost) in enumerate(
        (("Скамейки у пруда", 300), ("Детская площадка", 600), ("Фонари в парке", 400)), 1
    ):
        Project.objects.create(
            process=p,
            code=str(i),
            title=title,
            description="Описание проекта для жителей.",
            cost=Decimal(cost),
            district=north,
            status=Project.Status.ON_BALLOT,
            order=i,
        )
    from gorod.budgeting.eligibility.census import census_upload

    census_upload(process=p, data="R-1,north,1990-01-01\nR-2,north,1990-01-01\nR-3,north,1990-01-01\n")
    return p


def _vote(page, projects: list[str], resident: str) -> str:
    page.goto("/pb/vote-north/vote/")
    for label in page.locator("input[name=project]:checked").all():
        label.uncheck()
    for title in projects:
        page.get_by_label(re.compile(title)).check()
    page.get_by_label("Номер жителя").fill(resident)
    page.get_by_label("Дата рождения").fill("1990-01-01")
    page.get_by_role("button", name="Отдать голос").click()
    page.wait_for_url("**/receipt/")
    return page.locator("#receipt-code").inner_text().strip()


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_resident_votes_changes_ballot_checks_receipts_and_reads_results(page, process):
    page.goto("/pb/vote-north/")
    screenshot(page, "pb-process-1280")
    page.get_by_role("link", name="Голосовать").first.click()
    page.wait_for_url("**/vote/north/")
    # The running count is drawn by budgeting.js.
    page.get_by_label(re.compile("Скамейки у пруда")).check()
    assert "1" in page.locator("#pb-running").inner_text()
    assert not _serious(Axe().run(page))
    screenshot(page, "pb-ballot-1280")

    first = _vote(page, ["Скамейки у пруда", "Фонари в парке"], "R-1")
    screenshot(page, "pb-receipt-1280")
    second = _vote(page, ["Детская площадка"], "r 1")
    assert first != second
    assert "заменяет" in page.content()
    assert Ballot.objects.filter(process=process).count() == 1
    assert Ballot.objects.get(process=process).choices == ["2"]

    page.goto("/pb/vote-north/receipts/")
    page.get_by_label("Код квитанции").fill(first)
    page.get_by_role("button", name="Проверить").click()
    assert "заменён" in page.locator(".notice").inner_text()
    page.get_by_label("Код квитанции").fill(second)
    page.get_by_role("button", name="Проверить").click()
    assert "учтён" in page.locator(".notice").inner_text()
    screenshot(page, "pb-receipt-check-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/pb/vote-north/vote/north/")
    assert page.locator("input[name=project]").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "pb-ballot-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Two more residents vote; then the vote closes and the results are published.
    _vote(page, ["Скамейки у пруда", "Фонари в парке"], "R-2")
    _vote(page, ["Скамейки у пруда"], "R-3")
    with clock.frozen(clock.now() + 11 * DAY):
        results_publish(process=process)
        page.goto("/pb/vote-north/results/")
        assert page.locator("svg.pb-chart").count() == 1
        text = page.locator("main").inner_text()
        assert "Скамейки у пруда" in text and "Метод равных долей" in text
        assert "Куда пошли деньги" in text
        assert not _serious(Axe().run(page))
        screenshot(page, "pb-results-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "pb-results-390")


def test_ballot_works_without_javascript(browser, live_server, process):
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", java_script_enabled=False)
    page = context.new_page()
    page.goto("/pb/vote-north/vote/north/")
    page.get_by_label(re.compile("Детская площадка")).check()
    page.get_by_label(re.compile("Скамейки у пруда")).check()
    page.get_by_label(re.compile("Фонари в парке")).check()
    page.get_by_label("Номер жителя").fill("R-2")
    page.get_by_label("Дата рождения").fill("1990-01-01")
    page.get_by_role("button", name="Отдать голос").click()
    assert (
        "не больше 2" in page.locator(".error-summary").inner_text().lower()
        or "не более 2" in page.locator(".error-summary").inner_text().lower()
    )
    assert not Ballot.objects.exists()
    context.close()
