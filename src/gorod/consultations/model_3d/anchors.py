"""Where a comment pinned on the 3D model points, in words, for the text list a keyboard or screen-reader
user reads instead of the picture: "on the proposed building, east side, upper part".

Works from the boxes glb.inspect() stored for each named node of the model (scene coordinates, Y up; the
convention of the demo models and of docs/consultations.md: +X east, -Z north). A node present in the
"after" model but not in the "before" one is the proposed building; any other is an existing building;
a point on no building is on the ground."""

from __future__ import annotations

from django.utils.translation import pgettext

# Within this many metres of a box counts as on it: a picked point lies on the surface, not inside.
TOLERANCE_M = 0.5
GROUND_NAMES = {"ground", "terrain", "land"}


def _side(key: str) -> str:
    return {
        "north": pgettext("side", "north"),
        "south": pgettext("side", "south"),
        "east": pgettext("side", "east"),
        "west": pgettext("side", "west"),
        "centre": pgettext("side", "central"),
    }[key]


def _part(key: str) -> str:
    return {
        "lower": pgettext("part", "lower"),
        "middle": pgettext("part", "middle"),
        "upper": pgettext("part", "upper"),
    }[key]


def _contains(box: dict, point: tuple[float, float, float]) -> bool:
    return all(box["min"][i] - TOLERANCE_M <= point[i] <= box["max"][i] + TOLERANCE_M for i in range(3))


def _volume(box: dict) -> float:
    return max(
        (box["max"][0] - box["min"][0]) * (box["max"][1] - box["min"][1]) * (box["max"][2] - box["min"][2]),
        0.0,
    )


def _nearest_wall(box: dict, x: float, z: float) -> str:
    distances = {
        "west": abs(x - box["min"][0]),
        "east": abs(box["max"][0] - x),
        "north": abs(z - box["min"][2]),
        "south": abs(box["max"][2] - z),
    }
    return min(distances, key=lambda k: distances[k])


def _region(box: dict, x: float, z: float) -> str:
    """Which part of a horizontal extent the point is in: a compass side, or the middle third."""
    fx = (x - box["min"][0]) / ((box["max"][0] - box["min"][0]) or 1.0) - 0.5
    fz = (z - box["min"][2]) / ((box["max"][2] - box["min"][2]) or 1.0) - 0.5
    if max(abs(fx), abs(fz)) < 1 / 6:
        return "centre"
    if abs(fx) >= abs(fz):
        return "east" if fx > 0 else "west"
    return "south" if fz > 0 else "north"


def describe(
    point: tuple[float, float, float], *, nodes: list[dict], proposed: set[str], bounds: dict
) -> str:
    """`nodes`: [{name, min, max}] of the model the point was picked on; `proposed`: names of its nodes
    the "before" model lacks; `bounds`: the model's {min, max}."""
    x, y, z = point
    buildings = [n for n in nodes if n["name"].lower() not in GROUND_NAMES and _contains(n, point)]
    if not buildings:
        return pgettext("anchor", "on the ground, %(side)s part of the scene") % {
            "side": _side(_region(bounds, x, z))
        }
    box = min(buildings, key=_volume)
    new = box["name"] in proposed
    height = box["max"][1] - box["min"][1]
    if height > 0 and y >= box["max"][1] - TOLERANCE_M:
        if new:
            return pgettext("anchor", "on the roof of the proposed building")
        return pgettext("anchor", "on the roof of an existing building")
    share = (y - box["min"][1]) / height if height > 0 else 0.0
    part = "lower" if share < 1 / 3 else "middle" if share < 2 / 3 else "upper"
    values = {"side": _side(_nearest_wall(box, x, z)), "part": _part(part)}
    if new:
        return pgettext("anchor", "on the proposed building, %(side)s side, %(part)s part") % values
    return pgettext("anchor", "on an existing building, %(side)s side, %(part)s part") % values
