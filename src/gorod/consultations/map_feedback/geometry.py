"""Where a contribution is: a drawn GeoJSON shape (checked by consultations.areas: valid, in range, inside
the city) or, when the map cannot be used, a latitude and longitude typed in. Either way the result is a
shape kind, a plain GeoJSON geometry, its representative point and that point's H3 cell."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import shape as to_shape

from gorod.consultations import areas
from gorod.consultations.errors import Refused
from gorod.consultations.map_feedback.models import Shape
from gorod.core import geo

KIND_OF = {"Point": Shape.POINT, "LineString": Shape.LINE, "Polygon": Shape.AREA}
MAX_POINTS = 500  # a hand-drawn line or area has a few dozen corners


@dataclass(frozen=True)
class Place:
    shape: str
    geometry: dict
    lat: float
    lon: float
    cell: int


def _number(raw, field: str) -> float:
    try:
        value = float(str(raw).strip().replace(",", "."))
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        raise Refused(_("Give the place as numbers: latitude and longitude."), field=field)
    return value


def place_of(*, geometry=None, lat=None, lon=None, municipality_id: int) -> Place:
    """Raises Refused with a message for the person when the place is missing, malformed or outside."""
    if geometry in (None, "", {}):
        if lat in (None, "") or lon in (None, ""):
            raise Refused(_("Put a pin on the map, or type the latitude and longitude."), field="geometry")
        lat_f, lon_f = _number(lat, "lat"), _number(lon, "lon")
        if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
            raise Refused(_("Latitude is between -90 and 90, longitude between -180 and 180."), field="lat")
        geometry = {"type": "Point", "coordinates": [lon_f, lat_f]}
    data = areas.parse(geometry)
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry") or {}
    if not isinstance(data, dict) or data.get("type") not in KIND_OF:
        raise Refused(_("Mark a point, a line or an area."), field="geometry")
    try:
        too_many = shapely.get_num_coordinates(to_shape(data)) > MAX_POINTS
    except Exception as exc:
        raise Refused(_("The shape on the map is not valid; draw it again."), field="geometry") from exc
    if too_many:
        raise Refused(
            _("The shape has too many corners (at most %(n)d).") % {"n": MAX_POINTS}, field="geometry"
        )
    try:
        clean, centre = areas.clean_area(data, municipality_id=municipality_id)
    except Refused as exc:
        raise Refused(exc.message, field="geometry") from exc
    assert clean is not None and centre is not None
    lat_c, lon_c = centre
    clean = json.loads(json.dumps(clean))  # shapely's tuples → the lists the row will hold
    return Place(
        shape=KIND_OF[clean["type"]],
        geometry=clean,
        lat=lat_c,
        lon=lon_c,
        cell=geo.cell_of(lat_c, lon_c),
    )
