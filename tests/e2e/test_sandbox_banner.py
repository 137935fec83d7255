"""The training sandbox's banner in a real browser: visible at the top of its pages on a phone and at a
desk, and axe-core finds no serious or critical violation with it, in both languages (issue 13, item 6)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.city.models import SiteHost
from gorod.demo.sandbox import sandbox_ensure
from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility import _serious

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sandbox(db):
    municipality = sandbox_ensure(reports=5).municipality
    # The live server answers on localhost: let that host show the sandbox, as its own hosts would.
    SiteHost.objects.create(municipality=municipality, host="localhost")
    return municipality


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_sandbox_banner_is_seen_and_accessible(page, sandbox, language):
    if language == "en":
        page.goto("/")
        page.locator("form[action*='setlang'] button[value='en']").first.click()
    axe = Axe()
    text = {"ru": "Учебная песочница", "en": "Training sandbox"}[language]
    for url in ("/", "/reports/", "/data/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        banner = page.locator("#sandbox-banner")
        assert text in banner.inner_text()
        box = banner.bounding_box()
        assert box is not None and box["y"] < 250, url  # under the menu, above the page's content
        assert _serious(axe.run(page)) == [], url
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/reports/")
    assert page.locator("#sandbox-banner").is_visible()
    screenshot(page, f"sandbox-banner-{language}")
