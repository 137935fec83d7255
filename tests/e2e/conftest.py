"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against a live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from gorod.core.headers import tile_sources

CHROMIUM = os.environ.get("GOROD_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# How long one browser step may take: generous, because a loaded machine is slow, not broken.
STEP_MS = 60_000

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make in between
# browser steps are still plain synchronous code, so Django's async guard must step aside.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is missing at {CHROMIUM}: `make chromium` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(STEP_MS)
    page = context.new_page()
    # Nothing may leave the machine: every request elsewhere is answered with a network error here, as
    # an offline machine would answer it. The map's tile server is the one other host a page may ask (the
    # maps then show their fallback, core.tiles); any other fails the test.
    tile_hosts = tuple(tile_sources(settings.GOROD_TILE_URL)) if settings.GOROD_TILE_URL else ()
    allowed = (live_server.url, "data:", "blob:")
    context.route(
        lambda url: not url.startswith(allowed),
        lambda route: route.abort("internetdisconnected"),
    )
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(allowed + tile_hosts) else None,
    )
    yield page
    context.close()
    assert not outside, f"the page requested outside resources: {outside[:3]}"


def screenshot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
