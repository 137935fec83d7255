"""A project's area: GeoJSON drawn or pasted by staff, checked with shapely before it is stored. It must be
a valid Point, LineString, Polygon or MultiPolygon (or a Feature of one) with lon/lat in range, not
absurdly detailed, and lie inside the city: every part of it within GOROD_DISTRICT_SNAP_M of a district."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from gorod.city.models import District
from gorod.consultations.errors import Refused
from gorod.core import geo

KINDS = ("Point", "LineString", "Polygon", "MultiPolygon")
MAX_POINTS = 5000  # a hand-drawn area has tens; thousands means a pasted survey that belongs elsewhere


def parse(raw: str | dict | None) -> dict | None:
    """Text from a form or a dict → a GeoJSON geometry dict; None when empty. Raises Refused."""
    if raw is None or raw == "" or raw == {}:
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise Refused(_("The area is not valid GeoJSON."), field="area") from exc
    if not isinstance(raw, dict):
        raise Refused(_("The area is not valid GeoJSON."), field="area")
    return raw


def clean_area(
    raw: str | dict | None, *, municipality_id: int
) -> tuple[dict | None, tuple[float, float] | None]:
    """(the geometry as plain GeoJSON, its centre as (lat, lon)) or (None, None). Raises Refused."""
    data = parse(raw)
    if data is None:
        return None, None
    if data.get("type") == "Feature":
        data = data.get("geometry") or {}
    if not isinstance(data, dict) or data.get("type") not in KINDS:
        raise Refused(_("The area must be a point, a line or a polygon."), field="area")
    try:
        geometry = shape(data)
        valid = geometry.is_valid
    except (GEOSException, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise Refused(_("The area is not valid GeoJSON."), field="area") from exc
    if geometry.is_empty or not valid:
        raise Refused(_("The area's outline crosses itself or is empty; draw it again."), field="area")
    _check_range(geometry)
    _check_inside_city(geometry, municipality_id)
    centre = geometry.representative_point()
    return dict(mapping(geometry)), (centre.y, centre.x)


def _check_range(geometry: BaseGeometry) -> None:
    import shapely

    count = shapely.get_num_coordinates(geometry)
    if count > MAX_POINTS:
        raise Refused(_("The area has too many points (at most %(n)d).") % {"n": MAX_POINTS}, field="area")
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise Refused(_("The area's coordinates are out of range (longitude, then latitude)."), field="area")


def _check_inside_city(geometry: BaseGeometry, municipality_id: int) -> None:
    boundaries = District.objects.filter(municipality_id=municipality_id).values_list("boundary", flat=True)
    city = unary_union([geo.geometry_from_geojson(b) for b in boundaries])
    if city.is_empty:
        return  # a city without districts yet: nothing to check against
    # The same tolerance as a report's pin (embankments, bridges): about GOROD_DISTRICT_SNAP_M, in degrees.
    tolerance = float(settings.GOROD_DISTRICT_SNAP_M) / 111_000
    if not city.buffer(tolerance).covers(geometry):
        raise Refused(_("The area is outside the city."), field="area")


def as_text(area: Any) -> str:
    return json.dumps(area, ensure_ascii=False) if area else ""
