"""All geometry in one place: H3 cells, distances and point-in-polygon, on plain numbers and shapely
shapes (no models: which polygons are a municipality's districts is city.districts' business). PostGIS can
later replace this module and city.districts without touching their callers."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import h3
import numpy as np
from shapely import STRtree, affinity
from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

# Resolution 10 cells are ~66 m across the edge: fine enough for duplicate search within 50 m and a
# sorted-prefix parent at every coarser resolution for clustering.
STORE_RESOLUTION = 10
EARTH_RADIUS_M = 6_371_008.8


def cell_of(lat: float, lon: float) -> int:
    return h3.str_to_int(h3.latlng_to_cell(lat, lon, STORE_RESOLUTION))


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def cells_within(lat: float, lon: float, radius_m: float) -> list[int]:
    """Stored-resolution cells that cover every point within radius_m of (lat, lon)."""
    edge = h3.average_hexagon_edge_length(STORE_RESOLUTION, unit="m")
    k = max(1, math.ceil(radius_m / (edge * 1.5)) + 1)
    origin = h3.latlng_to_cell(lat, lon, STORE_RESOLUTION)
    return [h3.str_to_int(c) for c in h3.grid_disk(origin, k)]


def bbox_of_radius(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a box that contains the circle."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


# --- H3 parents without a Python call per row ------------------------------------------------------
# An H3 index keeps its resolution in bits 52-55 and one 3-bit digit per resolution below that; a parent
# at resolution r is the same index with resolution set to r and digits r+1..15 set to 7 (unused).
_RES_SHIFT = 52
_RES_MASK = np.int64(0xF) << _RES_SHIFT


def parents_np(cells: np.ndarray, resolution: int) -> np.ndarray:
    """Vectorised h3 cell_to_parent for int64 cells all of STORE_RESOLUTION (resolution <= it)."""
    unused = 0
    for r in range(resolution + 1, 16):
        unused |= 0b111 << ((15 - r) * 3)
    out = (cells & ~_RES_MASK) | (np.int64(resolution) << _RES_SHIFT)
    return out | np.int64(unused)


def zoom_to_resolution(zoom: int) -> int:
    """An H3 resolution whose cells are a few dozen screen pixels at a Leaflet zoom level."""
    return int(min(STORE_RESOLUTION, max(3, round((zoom - 3) * 0.72))))


# --- which polygon holds a point ----------------------------------------------------------------------
def geometry_from_geojson(geojson: dict) -> BaseGeometry:
    geom = geojson.get("geometry", geojson) if geojson.get("type") == "Feature" else geojson
    return shape(geom)


class PolygonIndex:
    """Answers "which of these polygons contains this point" with an STRtree, in microseconds. Each
    polygon comes with the key `find` returns for it (a district's id, say)."""

    def __init__(self, polygons: Sequence[BaseGeometry], keys: Sequence[int]):
        self.tree = STRtree(list(polygons))
        self.keys = list(keys)

    def find(self, lat: float, lon: float) -> int | None:
        """The key of a polygon containing the point, or None when it is outside all of them."""
        if not self.keys:
            return None
        for i in self.tree.query(Point(lon, lat), predicate="intersects"):
            return self.keys[int(i)]
        return None

    def nearest_within(self, lat: float, lon: float, metres: float) -> int | None:
        """The key of the polygon nearest to the point if it is at most `metres` away (on the ground,
        haversine to the polygon's nearest point), else None. Only polygons whose boxes meet the circle's
        box are measured, so a far point costs one tree query."""
        if not self.keys or metres <= 0:
            return None
        south, west, north, east = bbox_of_radius(lat, lon, metres)
        point = Point(lon, lat)
        best: tuple[float, int] | None = None
        for i in self.tree.query(box(west, south, east, north)):
            near = nearest_points(self.tree.geometries[int(i)], point)[0]
            distance = haversine_m(lat, lon, near.y, near.x)
            if distance <= metres and (best is None or distance < best[0]):
                best = (distance, self.keys[int(i)])
        return best[1] if best else None


# --- areas -------------------------------------------------------------------------------------------
def area_m2(geometry: BaseGeometry, *, latitude: float) -> float:
    """The area of a lon/lat shape in square metres, in an equirectangular projection true at `latitude`:
    within one city (tens of kilometres) its error is a fraction of a percent, and it needs no pyproj."""
    metres_per_degree = math.radians(1) * EARTH_RADIUS_M
    kx = metres_per_degree * math.cos(math.radians(latitude))
    return float(affinity.scale(geometry, xfact=kx, yfact=metres_per_degree, origin=(0, 0)).area)


def distance_to_shape_m(geometry: BaseGeometry, lat: float, lon: float) -> float:
    """Metres on the ground from the point to the nearest part of a lon/lat shape (0 inside an area)."""
    near = nearest_points(geometry, Point(lon, lat))[0]
    return haversine_m(lat, lon, near.y, near.x)


@functools.lru_cache(maxsize=65536)
def cell_boundary(cell: int) -> tuple[tuple[float, float], ...]:
    """The (lat, lon) corners of an H3 cell given as an integer (a cell never moves: cached)."""
    return tuple((float(a), float(b)) for a, b in h3.cell_to_boundary(h3.int_to_str(cell)))


@functools.lru_cache(maxsize=65536)
def cell_centre(cell: int) -> tuple[float, float]:
    lat, lon = h3.cell_to_latlng(h3.int_to_str(cell))
    return float(lat), float(lon)
