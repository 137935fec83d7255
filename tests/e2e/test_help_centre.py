"""axe-core on the help centre: the index and a guide (with its table and headings) in Russian and English."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.info.guides import available_slugs

pytestmark = pytest.mark.django_db(transaction=True)


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_help_centre_has_no_serious_accessibility_violations_in_both_languages(page, city):
    axe = Axe()
    for language in ("ru", "en"):
        if language == "en":
            page.goto("/help/")
            page.locator("form[action*='setlang'] button[value='en']").click()
            page.wait_for_load_state("networkidle")
        for url in ("/help/", "/help/reporting/", "/help/consultations/", "/help/moderator/print/"):
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == language, url
            assert _serious(axe.run(page)) == [], (language, url)
        # A contextual link lands on its section.
        page.goto("/help/moderator/#keyboard")
        assert page.locator("h2#keyboard").is_visible()
        # Each quick guide prints on one A4 sheet (chromium's own print engine, print CSS applied).
        for slug in sorted(s for s in available_slugs(language) if s.startswith("quick-")):
            page.goto(f"/help/{slug}/print/")
            pdf = page.pdf(format="A4")
            pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
            assert pages == 1, (language, slug, pages)
