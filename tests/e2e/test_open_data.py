"""/data/ in a real browser: no serious accessibility violation in either language, and a download
through the page's link is the file the generator wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.analytics.opendata.generate import generate
from gorod.reports.services import report_transition
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language, width", [("ru", 390), ("en", 1280)])
def test_open_data_page_downloads_and_accessibility(page, city, file_report, settings, language, width):
    report_transition(report=file_report(), action="accept")  # filed without an account: public once accepted
    generate(city)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/data/")
    if language == "en":
        page.locator("form[action*='setlang'] button[value='en']").first.click()
        page.goto("/data/")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == language
    assert _serious(Axe().run(page)) == []
    screenshot(page, f"open-data-{language}-{width}")
    with page.expect_download() as info:
        page.locator("a[href='/data/testgrad/reports.csv']").click()
    download = info.value
    assert download.suggested_filename == "testgrad-reports.csv"
    body = Path(download.path()).read_text(encoding="utf-8")
    assert body.count("\n") == 2  # the header and the report
    assert body == (settings.GOROD_OPEN_DATA_DIR / "testgrad" / "reports.csv").read_text(encoding="utf-8")
