"""District boundaries checked as geometry before anything is saved: well-nested GeoJSON, closed rings,
[longitude, latitude] in range, valid polygons (shapely's reason when not), no overlaps between districts
beyond a sliver, and a warning when holes between districts leave part of the city uncovered.

Point-in-polygon decides a report's district and so its department: an overlap sends the reports in it
to whichever district the index finds first, which is why it is refused rather than warned about."""

from __future__ import annotations

import math
import re

from shapely import STRtree
from shapely.geometry import Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.validation import explain_validity

from gorod.city.cityfile.messages import GAP_SHARE, OVERLAP_TOLERANCE_M2
from gorod.city.cityfile.problems import Path, Problems
from gorod.city.cityfile.references import items
from gorod.core import geo

RINGS = "a list of rings, each a list of [longitude, latitude] points"
POLYGONS = "a list of polygons, each a list of rings of [longitude, latitude] points"
_REASON = re.compile(r"(.*)\[(\S+) (\S+)\]")


def check(data: dict, problems: Problems) -> None:
    shapes: list[tuple[int, BaseGeometry]] = []
    for i, district in items(data, "districts"):
        boundary = district.get("boundary")
        if isinstance(boundary, dict):  # otherwise the schema says what is wrong
            geometry = _district_shape(("districts", i, "boundary"), boundary, problems)
            if geometry is not None:
                shapes.append((i, geometry))
    if shapes:
        south, north = min(g.bounds[1] for _, g in shapes), max(g.bounds[3] for _, g in shapes)
        latitude = (south + north) / 2
        _overlaps(shapes, latitude, problems)
        _gaps([g for _, g in shapes], latitude, problems)


def _district_shape(path: Path, boundary: dict, problems: Problems) -> BaseGeometry | None:
    kind = boundary.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        problems.add((*path, "type"), "boundary_type", value=kind)
        return None
    at = (*path, "coordinates")
    coordinates = boundary.get("coordinates")
    if kind == "Polygon":
        polygons = [(at, coordinates)]
    elif isinstance(coordinates, list) and coordinates:
        polygons = [((*at, k), polygon) for k, polygon in enumerate(coordinates)]
    else:
        problems.add(at, "boundary_nesting", expected=POLYGONS)
        return None
    expected = RINGS if kind == "Polygon" else POLYGONS
    sound = [_rings_are_sound(where, polygon, expected, problems) for where, polygon in polygons]
    if not all(sound):
        return None
    geometry = shape(boundary)
    if geometry.is_empty or not geometry.is_valid:
        problems.add(path, "invalid_polygon", reason=_reason(geometry))
        return None
    return geometry


def _rings_are_sound(path: Path, polygon: object, expected: str, problems: Problems) -> bool:
    if not isinstance(polygon, list) or not polygon:
        problems.add(path, "boundary_nesting", expected=expected)
        return False
    sound = True
    for r, ring in enumerate(polygon):
        where = (*path, r)
        if not isinstance(ring, list) or not all(_is_point(p) for p in ring):
            problems.add(where, "boundary_nesting", expected=expected)
            sound = False
        elif len(ring) < 4:
            problems.add(where, "ring_too_short", count=len(ring))
            sound = False
        elif ring[0][:2] != ring[-1][:2]:
            problems.add(
                (*where, len(ring) - 1), "ring_not_closed", first=_point(ring[0]), last=_point(ring[-1])
            )
            sound = False
        else:
            for k, point in enumerate(ring):
                if not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
                    problems.add((*where, k), "lon_lat", point=_point(point))
                    sound = False
                    break
    return sound


def _is_point(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) in (2, 3)  # GeoJSON allows an altitude
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    )


def _point(value: list) -> str:
    return f"[{value[0]}, {value[1]}]"


def _reason(geometry: BaseGeometry) -> str:
    """shapely's `Self-intersection[30.3 59.9]` as `Self-intersection at [30.3, 59.9]`."""
    if geometry.is_empty:
        return "it has no area"
    text = explain_validity(geometry)
    match = _REASON.fullmatch(text)
    return f"{match[1]} at [{match[2]}, {match[3]}]" if match else text


def _overlaps(shapes: list[tuple[int, BaseGeometry]], latitude: float, problems: Problems) -> None:
    tree = STRtree([g for _, g in shapes])
    for a, (i, geometry) in enumerate(shapes):
        for b in sorted(int(b) for b in tree.query(geometry, predicate="intersects")):
            if b <= a:
                continue
            j, other = shapes[b]
            area = geo.area_m2(geometry.intersection(other), latitude=latitude)
            if area > OVERLAP_TOLERANCE_M2:
                problems.add(
                    ("districts", i, "boundary"),
                    "overlap",
                    other=problems.locate(("districts", j)),
                    area=f"{round(area):,}".replace(",", " "),
                )


def _gaps(geometries: list[BaseGeometry], latitude: float, problems: Problems) -> None:
    """Holes inside the union of the districts: ground within the city that no district covers."""
    union = unary_union(geometries)
    parts = getattr(union, "geoms", [union])
    holes = sum(geo.area_m2(Polygon(ring), latitude=latitude) for part in parts for ring in part.interiors)
    bounding = geo.area_m2(box(*union.bounds), latitude=latitude)
    if bounding and holes / bounding > GAP_SHARE:
        share = holes / bounding * 100
        problems.warn(("districts",), "gap", area=f"{holes / 1e6:.1f}", share=f"{share:.1f}")
