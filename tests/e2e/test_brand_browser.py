"""In a real browser, the second city's header is drawn in its own colours with its own logo: the inline
colours pass the CSP, the logo loads from the media, and axe finds the white text readable on them."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from gorod.city.services import city_import_file
from gorod.demo.city import PETROZAVODSK_FILE

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_header_wears_the_city_s_colours_and_logo(page, city, settings):
    city_import_file(PETROZAVODSK_FILE)
    settings.GOROD_DEFAULT_MUNICIPALITY = "petrozavodsk"  # the live server's host shows Petrozavodsk
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto("/")

    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(29, 91, 58)"
    nav = page.locator(".site-nav")
    assert nav.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(15, 61, 38)"
    logo = page.locator("img.brand-logo")
    assert logo.get_attribute("alt") == "Петрозаводск"
    assert logo.evaluate("img => img.complete && img.naturalWidth") > 0
    assert not violations, violations
    results = Axe().run(page, context=".site-header", options={"runOnly": ["color-contrast"]})
    assert not results.response["violations"], results.response["violations"]
