"""Which district of a municipality a point is in: a per-process index over the District polygons kept in
the database (core.geo.PolygonIndex), rebuilt after a minute or when the city is imported again."""

from __future__ import annotations

import threading
import time

from django.conf import settings

from gorod.city.models import District
from gorod.core import geo

_index_lock = threading.Lock()
_indexes: dict[int, tuple[float, geo.PolygonIndex]] = {}
_INDEX_TTL_S = 60.0  # admin edits reach other processes within a minute


def invalidate_districts() -> None:
    with _index_lock:
        _indexes.clear()


def _index_for(municipality_id: int) -> geo.PolygonIndex:
    now = time.monotonic()
    with _index_lock:
        cached = _indexes.get(municipality_id)
        if cached and now - cached[0] < _INDEX_TTL_S:
            return cached[1]
    rows = list(District.objects.filter(municipality_id=municipality_id).values_list("id", "boundary"))
    index = geo.PolygonIndex([geo.geometry_from_geojson(b) for _, b in rows], [i for i, _ in rows])
    with _index_lock:
        _indexes[municipality_id] = (now, index)
    return index


def district_at(municipality_id: int, lat: float, lon: float) -> int | None:
    """The id of the municipality's district containing the point, or None when outside all of them."""
    return _index_for(municipality_id).find(lat, lon)


def district_for_report(municipality_id: int, lat: float, lon: float) -> int | None:
    """The district a report at this point belongs to: the one containing it, else the nearest one within
    settings.GOROD_DISTRICT_SNAP_M metres, else None ("outside the city"). Drawn boundaries leave slivers
    between districts and stop at the water's edge, where a pin on an embankment or a bridge still names
    a real problem of the city. The point itself is kept as given. The web form, Open311 and moderation's
    correction of a place all decide with this one function."""
    index = _index_for(municipality_id)
    found = index.find(lat, lon)
    if found is None:
        found = index.nearest_within(lat, lon, float(settings.GOROD_DISTRICT_SNAP_M))
    return found
