"""/stats/ in a real browser: a chart's table read off the page equals the CSV its link downloads, and
axe-core finds no serious or critical violation, in Russian and English, on a phone and a desk."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.analytics.stats import rollup
from tests.analytics.conftest import history  # noqa: F401 - the fixture
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
MAY = "from=2026-05-01&to=2026-05-31"


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _table(page, key: str) -> list[list[str]]:
    rows = page.locator(f'table[data-table="{key}"] tr')
    return [
        [("" if t.strip() == "—" else t.strip()) for t in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


@pytest.mark.parametrize("language, width", [("ru", 390), ("en", 1280), ("ru", 1280), ("en", 390)])
def test_a_chart_table_equals_its_csv_download(page, city, history, language, width):  # noqa: F811
    rollup.roll_days(municipality=city, first=dt.date(2026, 5, 1), last=dt.date(2026, 5, 31))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/stats/?{MAY}")
    if language == "en":
        page.locator("form[action*='setlang'] button[value='en']").first.click()
        page.goto(f"/stats/?{MAY}")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("svg.chart").count() >= 8
    assert _serious(Axe().run(page)) == []
    screenshot(page, f"stats-{language}-{width}")

    for key in ("district", "resolution"):
        shown = _table(page, key)
        assert len(shown) > 2
        with page.expect_download() as info:
            page.locator(f'a[data-csv="{key}"]').click()
        body = Path(info.value.path()).read_text(encoding="utf-8")
        assert list(csv.reader(io.StringIO(body))) == shown, key


@pytest.mark.parametrize("width", [390, 1280])
def test_an_auditor_drills_down_to_a_department(browser, live_server, city, history, width):  # noqa: F811
    from gorod.accounts.models import User
    from gorod.city.models import Department
    from tests.e2e.staff import signed_in_page, staff_user

    rollup.roll_days(municipality=city, first=dt.date(2026, 5, 1), last=dt.date(2026, 5, 31))
    context, page = signed_in_page(browser, live_server, staff_user("aud", User.Role.AUDITOR), width=width)
    try:
        page.goto(f"/backoffice/stats/?{MAY}")
        page.wait_for_load_state("networkidle")
        assert _serious(Axe().run(page)) == []
        roads = Department.objects.get(municipality=city, slug="roads")
        page.locator('table[data-table="department"]').get_by_role("link", name=roads.label).click()
        page.wait_for_load_state("networkidle")
        assert f"department={roads.pk}" in page.url
        assert page.locator("#stats-department").input_value() == str(roads.pk)
        assert [r[0] for r in _table(page, "department")[1:]] == [roads.label]
        screenshot(page, f"stats-staff-{width}")
    finally:
        context.close()
