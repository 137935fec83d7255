"""Checks the shape of a planned work before anything is saved: GeoJSON of an accepted type, valid for
shapely, with every vertex in the city by the same rule that places a report (city.districts), and the
district it belongs to."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from gorod.city.districts import district_for_report
from gorod.core import geo

ACCEPTED_TYPES = ("Point", "LineString", "Polygon")
MAX_VERTICES = 2000
MAX_TEXT = 200_000  # characters of GeoJSON a form may post


@dataclass(frozen=True)
class CheckedShape:
    geometry: dict  # the GeoJSON geometry as it will be stored (type and coordinates only)
    district_id: int
    bbox: tuple[float, float, float, float]  # south, west, north, east


def parse(value: str | dict) -> dict:
    """The posted text as a GeoJSON geometry dict (a Feature gives its geometry); ValidationError else."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValidationError(_("The shape is too large."), code="too_large")
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise ValidationError(_("The shape is not valid GeoJSON."), code="not_json") from None
    if not isinstance(value, dict):
        raise ValidationError(_("The shape is not valid GeoJSON."), code="not_json")
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
        if not isinstance(value, dict):
            raise ValidationError(_("The shape is not valid GeoJSON."), code="not_json")
    if value.get("type") not in ACCEPTED_TYPES:
        raise ValidationError(_("Draw a point, a line or an area."), code="bad_type")
    return {"type": value["type"], "coordinates": value.get("coordinates")}


def _shape(geometry: dict) -> BaseGeometry:
    try:
        found = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        raise ValidationError(_("The shape is not valid GeoJSON."), code="not_json") from None
    coords = _vertices(found)
    if not coords or len(coords) > MAX_VERTICES:
        raise ValidationError(_("The shape is empty or has too many points."), code="size")
    for lon, lat in coords:
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(_("The shape has coordinates outside the map."), code="range")
    if found.is_empty or not found.is_valid:
        raise ValidationError(_("The shape is not valid: an area must not cross itself."), code="invalid")
    return found


def _vertices(found: BaseGeometry) -> list[tuple[float, float]]:
    if found.geom_type == "Polygon":
        return [(float(x), float(y)) for x, y, *_z in found.exterior.coords] + [
            (float(x), float(y)) for ring in found.interiors for x, y, *_z in ring.coords
        ]
    return [(float(x), float(y)) for x, y, *_z in found.coords]


def check(value: str | dict, *, municipality_id: int) -> CheckedShape:
    """A shape ready to store, or ValidationError saying what is wrong with it."""
    geometry = parse(value)
    found = _shape(geometry)
    for lon, lat in _vertices(found):
        if district_for_report(municipality_id, lat, lon) is None:
            raise ValidationError(_("The shape goes outside the city."), code="outside")
    point = found.representative_point()
    district_id = district_for_report(municipality_id, point.y, point.x)
    if district_id is None:
        raise ValidationError(_("The shape goes outside the city."), code="outside")
    west, south, east, north = found.bounds
    stored = {
        "type": found.geom_type,
        "coordinates": json.loads(json.dumps(found.__geo_interface__["coordinates"])),
    }
    return CheckedShape(geometry=stored, district_id=district_id, bbox=(south, west, north, east))


def distance_m(geometry: dict, lat: float, lon: float) -> float:
    """Metres on the ground from the point to the nearest part of a stored shape (0 inside an area)."""
    return geo.distance_to_shape_m(shape(geometry), lat, lon)
