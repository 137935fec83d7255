"""The performance page and the citizen's confirm/dispute box in a real browser, at phone and desk widths."""

from __future__ import annotations

import pytest

from gorod.core import clock
from gorod.reports.models import Report
from gorod.reports.services import feedback, report_transition
from gorod.reports.workflow import Status
from tests.analytics.conftest import at, history  # noqa: F401 - the fixture
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_performance_page(page, history, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/performance/?from=2026-05-01&to=2026-05-31")
    assert page.locator("h1").inner_text() == "Как работают ведомства"
    rows = page.locator("#table-department + p + .table-scroll tbody tr")
    assert rows.count() == 3
    assert "Жилищное агентство" in rows.nth(0).inner_text()
    screenshot(page, f"performance-{width}")
    # Rank by the median: the link keeps the period.
    page.get_by_role("link", name="Медиана рабочих дней до решения").first.click()
    assert "sort=median_days" in page.url and "from=2026-05-01" in page.url
    if width == 1280:
        screenshot(page, "performance-by-median-1280")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_author_confirms_and_rates_through_the_mailed_link(page, file_report, width):
    with clock.frozen(at("2026-05-06", 10)):
        report = file_report()
        report_transition(report=report, action="accept")
    with clock.frozen(at("2026-05-12", 15)):
        report_transition(report=report, action="resolve", public_note="Яма заделана.")
    url = feedback.confirmation_url(Report.objects.get(pk=report.pk))
    page.set_viewport_size({"width": width, "height": 900})
    with clock.frozen(at("2026-05-13", 9)):
        page.goto(url)
        page.get_by_role("heading", name="Проблема решена?").wait_for()
        screenshot(page, f"report-loop-{width}")
        page.get_by_role("button", name="Да, решена").click()
        page.get_by_role("heading", name="Насколько хорошо решили вашу проблему?").wait_for()
        assert Report.objects.get(pk=report.pk).status == Status.CONFIRMED
        screenshot(page, f"report-rate-{width}")
        page.get_by_label("4").check()
        page.get_by_role("button", name="Отправить оценку").click()
        page.get_by_text("4 из 5").wait_for()
