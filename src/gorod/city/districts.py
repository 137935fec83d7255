"""Which district of a municipality a point is in: a per-process index over the District polygons kept in
the database (core.geo.PolygonIndex), rebuilt after a minute or when the city is imported again."""

from __future__ import annotations

import threading
import time

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
