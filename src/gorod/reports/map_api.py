"""GET /reports/map.json: clusters of the filtered reports for the visible part of the map.

Parameters: bbox=west,south,east,north (degrees; default: the whole city), zoom=1..19 (default 11) and
the list filters (category, district, status, from, to; see reports.filters). Any bad value gives a 400
with {"errors": {parameter: message}}; nothing here raises a 500 on input."""

from __future__ import annotations

import math

from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gorod.city.selectors import default_municipality
from gorod.reports import clustering
from gorod.reports.filters import parse_filters

DEFAULT_ZOOM = 11
MIN_ZOOM, MAX_ZOOM = 1, 19
# Long enough for a burst of panning by many visitors to hit a cache, short enough for a new report to
# show up soon.
MAX_AGE_S = 15


def parse_bbox(raw: str | None) -> tuple[clustering.BBox | None, str | None]:
    """'west,south,east,north' → ((south, west, north, east), None), or (None, error message)."""
    if raw is None or not raw.strip():
        return None, None
    parts = raw.split(",")
    if len(parts) != 4:
        return None, _("Give the box as west,south,east,north.")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        return None, _("The box must be four numbers: west,south,east,north.")
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return None, _("The box must be four numbers: west,south,east,north.")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        return None, _("The box is out of range: longitudes within ±180, latitudes within ±90.")
    if not (west < east and south < north):
        return None, _("The box must have west < east and south < north.")
    return (south, west, north, east), None


def parse_zoom(raw: str | None) -> tuple[int | None, str | None]:
    if raw is None or not raw.strip():
        return DEFAULT_ZOOM, None
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 2) or not MIN_ZOOM <= int(raw) <= MAX_ZOOM:
        return None, _("The zoom must be a whole number from %(min)d to %(max)d.") % {
            "min": MIN_ZOOM,
            "max": MAX_ZOOM,
        }
    return int(raw), None


@require_safe
def clusters_json(request: HttpRequest) -> JsonResponse:
    municipality = default_municipality()
    if municipality is None:
        return JsonResponse({"errors": {"municipality": _("No city is configured yet.")}}, status=404)
    errors: dict[str, str] = {}
    bbox, bbox_error = parse_bbox(request.GET.get("bbox"))
    if bbox_error:
        errors["bbox"] = bbox_error
    zoom, zoom_error = parse_zoom(request.GET.get("zoom"))
    if zoom_error:
        errors["zoom"] = zoom_error
    report_filter, filter_errors = parse_filters(request.GET, municipality)
    errors.update(filter_errors)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    assert zoom is not None
    response = JsonResponse(clustering.clusters(municipality, report_filter, zoom, bbox))
    patch_cache_control(response, public=True, max_age=MAX_AGE_S)
    return response
