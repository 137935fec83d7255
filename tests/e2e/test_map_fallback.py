"""Offline (as every test is) the street tiles fail: each map drops them for the district outlines on a
plain background with a note, and stays usable. A form error keeps the chosen photo, which is filed with
the report on the next try."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from gorod.reports.models import Report
from tests.conftest import make_jpeg
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
# A cap for a loaded machine, not an expected time: the wait ends as soon as the outlines are drawn.
OUTLINES_MS = 60_000


def test_failed_tiles_leave_the_outlines_and_a_point_can_still_be_chosen(page, city, tmp_path):
    page.goto("/reports/new/")
    picker = page.locator("#picker-map")
    note = picker.locator(".map-tiles-note")
    note.wait_for()
    assert "district boundaries" in note.inner_text() or "границы районов" in note.inner_text()
    assert "tiles-failed" in (picker.get_attribute("class") or "")
    assert picker.locator(".leaflet-tile-pane img").count() == 0  # no broken tiles left behind
    # The two districts' outlines: fetched apart from the tiles, they may be drawn after the note.
    expect(picker.locator(".leaflet-overlay-pane path")).to_have_count(2, timeout=OUTLINES_MS)

    # Choosing a point still works: click in the northern district.
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.2)
    lat = float(page.input_value("#id_lat"))
    assert 59.95 < lat < 60.05
    assert picker.locator(".leaflet-marker-icon").count() == 1
    screenshot(page, "map-fallback-form")

    # A form error (no category) keeps the photo; sent again, it is filed without choosing it again.
    shot = tmp_path / "яма.jpg"
    shot.write_bytes(make_jpeg(size=(800, 600), color=(30, 120, 200)))
    page.fill("#id_description", "Яма у остановки")
    page.set_input_files("#id_photos", str(shot))
    page.get_by_role("button", name="Отправить сообщение").click()
    page.locator("#error-summary").wait_for()
    kept = page.locator(".held-photo img")
    kept.wait_for()
    picker.locator(".map-tiles-note").wait_for()  # the page came back: its map falls back again
    # Close to the pin, outlines alone would show an empty square: the map steps back to the city's zoom
    # (the zoom-out button is disabled at its limit only; the district names show once zoomed out).
    assert picker.locator(".leaflet-marker-icon").count() == 1
    page.wait_for_function(
        "() => { const p = document.querySelector('#picker-map .leaflet-overlay-pane path');"
        " const r = p && p.getBoundingClientRect();"
        " const m = document.querySelector('#picker-map').getBoundingClientRect();"
        " return r && r.width < m.width; }"
    )
    screenshot(page, "report-form-photo-kept")
    # The kept photos, the remove boxes and the map's note pass axe like the rest of the form.
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert page.evaluate("(img) => img.naturalWidth", kept.element_handle()) == 800
    page.select_option("#id_category", label="Яма на дороге")
    depth = page.locator("[name='attribute[depth]']")
    depth.wait_for()
    depth.fill("15")
    page.get_by_role("button", name="Отправить сообщение").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    assert Report.objects.get().photos.count() == 1


def test_the_browse_map_falls_back_too(page, city):
    page.goto("/reports/")
    browse = page.locator("#browse-map")
    browse.locator(".map-tiles-note").wait_for()
    expect(browse.locator(".leaflet-overlay-pane path")).to_have_count(2, timeout=OUTLINES_MS)
    screenshot(page, "map-fallback-browse")


def test_a_pmtiles_map_uses_protomaps_leaflet_and_falls_back_when_the_file_is_missing(page, city, settings):
    if not settings.GOROD_PROTOMAPS_LEAFLET:
        pytest.skip("protomaps-leaflet is not installed: `make install` runs npm ci where npm exists")
    settings.GOROD_TILE_URL = "/tiles/missing.pmtiles"
    page.goto("/reports/")
    browse = page.locator("#browse-map")
    browse.locator(".map-tiles-note").wait_for()
    assert page.evaluate("() => typeof window.protomapsL.leafletLayer") == "function"
    expect(browse.locator(".leaflet-overlay-pane path")).to_have_count(2, timeout=OUTLINES_MS)
