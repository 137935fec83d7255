"""The demand report in a browser: seeded demo counters, an auditor reading it in Russian and English,
no serious or critical axe violation, at desk and phone widths (screenshots in var/screenshots)."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.accounts.models import User
from gorod.analytics.demand import selectors
from gorod.core import clock
from gorod.demo import demand
from tests.e2e.conftest import screenshot
from tests.e2e.staff import signed_in_page, staff_user
from tests.e2e.test_accessibility import _serious

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_demand_report_reads_well_and_passes_axe(browser, live_server, city, language):
    anchor = clock.today(ZoneInfo(city.timezone))
    demand.seed(municipality=city, seed=3, anchor=anchor, stdout=io.StringIO())
    last = selectors.previous_month(anchor.replace(day=1))
    context, page = signed_in_page(browser, live_server, staff_user("auditor1", User.Role.AUDITOR))
    try:
        if language == "en":
            context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page.goto(f"/backoffice/demand/{last:%Y-%m}/")
        assert page.locator("html").get_attribute("lang") == language
        heading = page.locator("h1").inner_text()
        assert ("Demand report" if language == "en" else "Отчёт о спросе") in heading
        assert page.locator("a[href$='.pdf']").count() >= 1  # the seeder kept last month's PDF
        assert _serious(Axe().run(page)) == []
        screenshot(page, f"demand-report-{language}-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, f"demand-report-{language}-390")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        with page.expect_download() as download:
            page.locator("a[href$='.pdf']").first.click()
        assert download.value.path().read_bytes()[:4] == b"%PDF"
    finally:
        context.close()
