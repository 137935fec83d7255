"""The map's tile layer: OpenStreetMap's standard tiles with their credit unless the installation names
others, rendered into every map's configuration, and the CSP allowing that host and no other."""

from __future__ import annotations

import json
import re

import pytest

from gorod.core.tiles import OSM_ATTRIBUTION, OSM_TILE_URL, attribution_for, is_pmtiles, tile_url_from

pytestmark = pytest.mark.django_db


def map_config(html: str) -> dict:
    found = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page has no map configuration"
    return json.loads(found.group(1))


def test_the_default_is_osm_standard_tiles_with_their_credit(settings):
    assert settings.GOROD_TILE_URL == OSM_TILE_URL == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in settings.GOROD_TILE_ATTRIBUTION and "©" in settings.GOROD_TILE_ATTRIBUTION
    assert settings.GOROD_TILE_MAX_ZOOM == 19


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("", OSM_TILE_URL),
        ("  ", OSM_TILE_URL),
        ("none", ""),
        ("OFF", ""),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/{z}/{x}/{y}.png"),
        ("/tiles/city.pmtiles", "/tiles/city.pmtiles"),
    ],
)
def test_the_tile_url_is_read_from_the_environment(raw, url):
    assert tile_url_from(raw) == url


def test_a_custom_layer_gets_its_own_credit_not_osms():
    assert attribution_for(OSM_TILE_URL, "") == OSM_ATTRIBUTION
    assert attribution_for("https://tiles.example.org/{z}/{x}/{y}.png", "") == ""
    assert attribution_for(OSM_TILE_URL, "© Город") == "© Город"


def test_pmtiles_files_are_recognised():
    assert is_pmtiles("/tiles/city.pmtiles") and is_pmtiles("https://t.example/c.PMTiles?v=2")
    assert not is_pmtiles(OSM_TILE_URL)


@pytest.mark.parametrize("path", ["/reports/new/", "/reports/"])
def test_every_map_page_renders_the_tile_settings(client, city, path):
    cfg = map_config(client.get(path).text)
    assert cfg["tiles"] == OSM_TILE_URL
    assert cfg["tileKind"] == "raster"
    assert cfg["attribution"] == OSM_ATTRIBUTION
    assert cfg["maxZoom"] == 19
    assert cfg["tilesFailed"]  # the note shown when they do not load, in the page's language


def test_the_installation_can_choose_other_tiles_or_none(client, city, settings):
    settings.GOROD_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.GOROD_TILE_ATTRIBUTION = "© Example"
    settings.GOROD_TILE_MAX_ZOOM = 17
    cfg = map_config(client.get("/reports/new/").text)
    assert (cfg["tiles"], cfg["attribution"], cfg["maxZoom"]) == (settings.GOROD_TILE_URL, "© Example", 17)
    settings.GOROD_TILE_URL = "/tiles/city.pmtiles"
    assert map_config(client.get("/reports/new/").text)["tileKind"] == "pmtiles"
    settings.GOROD_TILE_URL = ""
    assert map_config(client.get("/reports/new/").text)["tileKind"] == ""


def test_the_csp_allows_images_from_the_tile_host_only(client, city):
    policy = client.get("/reports/new/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert set(directives["img-src"].split()) == {
        "'self'",
        "data:",
        "blob:",
        "https://tile.openstreetmap.org",
    }
    assert directives["connect-src"].split() == ["'self'"]  # raster tiles are images, not fetches


def test_protomaps_leaflet_is_loaded_only_for_a_pmtiles_map(client, city, settings):
    script = "vendor/protomaps-leaflet/protomaps-leaflet.js"
    assert script not in client.get("/reports/new/").text  # OSM's raster tiles need only Leaflet
    settings.GOROD_TILE_URL = "/tiles/city.pmtiles"
    assert (script in client.get("/reports/new/").text) == settings.GOROD_PROTOMAPS_LEAFLET


def test_make_install_serves_protomaps_leaflet_from_node_modules(settings):
    from django.contrib.staticfiles import finders

    if not settings.GOROD_PROTOMAPS_LEAFLET:
        pytest.skip("node_modules has no protomaps-leaflet: run `make install` (npm ci)")
    found = finders.find("vendor/protomaps-leaflet/protomaps-leaflet.js")
    assert found and "node_modules" in str(found)
