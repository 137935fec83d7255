"""The map's tile layer, one installation-wide choice read from the environment by settings.py:

    GOROD_TILE_URL          a URL template ({z}/{x}/{y}, {s} for subdomains), a .pmtiles file drawn with
                            protomaps-leaflet, or "none"; unset means OpenStreetMap's standard tiles
    GOROD_TILE_ATTRIBUTION  the credit the tile provider asks for (HTML, written by the administrator)
    GOROD_TILE_MAX_ZOOM     the deepest zoom the tiles have

Every map draws the districts from our own data as well, and maps.js drops the tiles for those outlines
on a plain background when the tiles do not load (offline, blocked, over a provider's limits).
settings.py imports this module, so it imports nothing of Gorod's."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
# OpenStreetMap's licence asks for this credit, with the link, on every map that shows its tiles.
OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
NO_TILES = {"none", "off"}


def tile_url_from(raw: str) -> str:
    """The tile URL of the installation: the one given, OSM's when none is given, "" for "none"."""
    value = (raw or "").strip()
    if value.lower() in NO_TILES:
        return ""
    return value or OSM_TILE_URL


def attribution_for(tile_url: str, raw: str) -> str:
    """The credit given, or OSM's for OSM's tiles (a self-hosted layer names its own source)."""
    value = (raw or "").strip()
    if value:
        return value
    return OSM_ATTRIBUTION if tile_url == OSM_TILE_URL else ""


def is_pmtiles(tile_url: str) -> bool:
    """A single PMTiles archive (read with HTTP range requests) rather than a z/x/y template."""
    path = tile_url.split("?", 1)[0].split("#", 1)[0]
    return path.lower().endswith(".pmtiles") or tile_url.startswith("pmtiles://")


def tile_config() -> dict:
    """The tile keys of every map's JSON configuration (maps.js, backoffice.js)."""
    url = settings.GOROD_TILE_URL
    return {
        "tiles": url,
        "tileKind": ("pmtiles" if is_pmtiles(url) else "raster") if url else "",
        "attribution": settings.GOROD_TILE_ATTRIBUTION,
        "maxZoom": settings.GOROD_TILE_MAX_ZOOM,
        "tilesFailed": gettext("The street map did not load: district boundaries are shown instead."),
    }
