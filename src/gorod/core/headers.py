"""Response headers that settings alone cannot give: Permissions-Policy (Django has no setting for it) and
the map tile host for the CSP's img-src, read from GOROD_TILE_URL. Imported by settings.py, so it
imports nothing of Gorod's."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# OpenStreetMap's standard tiles: the map's layer when the installation names no tile server.
DEFAULT_TILE_ORIGIN = "https://tile.openstreetmap.org"


def tile_sources(tile_url: str) -> list[str]:
    """The CSP source of the tile server: its scheme, host and port; [] when Gorod serves the tiles
    itself ('self' covers them). Leaflet's {s} subdomain becomes the CSP wildcard."""
    parts = urlsplit((tile_url or "").strip() or DEFAULT_TILE_ORIGIN)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return []
    host = parts.netloc.rpartition("@")[2]  # never credentials in a policy
    first, dot, rest = host.partition(".")
    if "{" in first and dot:
        host = "*." + rest
    return [f"{parts.scheme}://{host}"]


class PermissionsPolicy:
    """Adds settings.GOROD_PERMISSIONS_POLICY to every answer that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.GOROD_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.GOROD_PERMISSIONS_POLICY)
        return response
