"""axe-core on the pages a citizen uses most: no serious or critical violations, in both languages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.reports.services import NewReport, report_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def report(city, categories):
    return report_create(
        municipality=city,
        data=NewReport(
            category=categories["litter"],
            lat=59.9,
            lon=30.3,
            description='Мусор "><img src=x onerror=alert(1)>',
            contact_name="Пётр",
            show_name=True,
        ),
    )


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_main_pages_have_no_serious_accessibility_violations(page, report, language):
    if language == "en":
        page.goto("/")
        page.locator(
            "form[action*='setlang'] button[value='en'], form[action*='setlang'] [type=submit]"
        ).first.click()
    axe = Axe()
    for url in ("/", "/reports/", "/reports/new/", f"/reports/{report.pk}/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert _serious(axe.run(page)) == [], url
