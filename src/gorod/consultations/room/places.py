"""Where a pin points, checked and put into words. Coordinates come from a browser and are hostile: every
value is parsed, must be finite and in range (x/y within the slide, yaw within a turn, pitch from the
nadir to the zenith), or the pin is refused. For the list beside the picture, each pin gets a coarse
description anyone can follow without seeing it: the slide's number and title and a region of a
3 × 3 grid ("top left") on images and plans, a compass direction (and "up"/"down") on panoramas.

A resident without the picture picks one of the same regions or directions instead of a point: the pin
is then placed at its centre (point_of_region)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gorod.consultations.errors import Refused
from gorod.consultations.room.models import SlideKind

# The 3 × 3 grid of a flat slide: key → (label, centre x, centre y).
REGIONS: dict[str, tuple] = {
    "top-left": (_l("top left"), 1 / 6, 1 / 6),
    "top": (_l("top centre"), 0.5, 1 / 6),
    "top-right": (_l("top right"), 5 / 6, 1 / 6),
    "left": (_l("middle left"), 1 / 6, 0.5),
    "centre": (_l("centre"), 0.5, 0.5),
    "right": (_l("middle right"), 5 / 6, 0.5),
    "bottom-left": (_l("bottom left"), 1 / 6, 5 / 6),
    "bottom": (_l("bottom centre"), 0.5, 5 / 6),
    "bottom-right": (_l("bottom right"), 5 / 6, 5 / 6),
}
# Eight compass directions of a panorama: key → (label, yaw in degrees).
DIRECTIONS: dict[str, tuple] = {
    "n": (_l("north"), 0.0),
    "ne": (_l("north-east"), 45.0),
    "e": (_l("east"), 90.0),
    "se": (_l("south-east"), 135.0),
    "s": (_l("south"), 180.0),
    "sw": (_l("south-west"), 225.0),
    "w": (_l("west"), 270.0),
    "nw": (_l("north-west"), 315.0),
}
LOOK_UP = 30.0  # degrees above the horizon: "looking up"


@dataclass(frozen=True)
class Point:
    x: float | None = None
    y: float | None = None
    yaw: float | None = None
    pitch: float | None = None


def _number(value, *, field: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise Refused(_("The place on the picture is not a number."), field=field) from exc
    if not math.isfinite(number):
        raise Refused(_("The place on the picture is not a number."), field=field)
    return number


def clean_point(kind: str, *, x=None, y=None, yaw=None, pitch=None, region: str = "") -> Point:
    """A checked point on a slide of `kind`, from exact coordinates or, failing them, a region/direction."""
    if kind == SlideKind.PANORAMA:
        yaw_n, pitch_n = _number(yaw, field="yaw"), _number(pitch, field="pitch")
        if yaw_n is None or pitch_n is None:
            if region not in DIRECTIONS:
                raise Refused(_("Choose where the comment points."), field="region")
            return Point(yaw=DIRECTIONS[region][1], pitch=0.0)
        if not (-360.0 <= yaw_n <= 360.0):
            raise Refused(_("The direction is outside the panorama."), field="yaw")
        if not (-90.0 <= pitch_n <= 90.0):
            raise Refused(_("The direction is outside the panorama."), field="pitch")
        return Point(yaw=yaw_n % 360.0, pitch=pitch_n)
    x_n, y_n = _number(x, field="x"), _number(y, field="y")
    if x_n is None or y_n is None:
        if region not in REGIONS:
            raise Refused(_("Choose where the comment points."), field="region")
        return Point(x=REGIONS[region][1], y=REGIONS[region][2])
    if not (0.0 <= x_n <= 1.0 and 0.0 <= y_n <= 1.0):
        raise Refused(_("The point is outside the picture."), field="x")
    return Point(x=x_n, y=y_n)


def region_of(x: float, y: float) -> str:
    column = min(int(x * 3), 2)
    row = min(int(y * 3), 2)
    return list(REGIONS)[row * 3 + column]


def direction_of(yaw: float) -> str:
    return list(DIRECTIONS)[int(((yaw % 360.0) + 22.5) // 45.0) % 8]


def where(slide, pin) -> str:
    """'on slide 2 «Plan», top left' — the pin's place in words, in the active language."""
    if slide.kind == SlideKind.PANORAMA and pin.yaw is not None:
        place = _("looking %(direction)s") % {"direction": DIRECTIONS[direction_of(pin.yaw)][0]}
        if (pin.pitch or 0.0) >= LOOK_UP:
            place = _("%(place)s, up high") % {"place": place}
        elif (pin.pitch or 0.0) <= -LOOK_UP:
            place = _("%(place)s, down low") % {"place": place}
    elif pin.x is not None and pin.y is not None:
        place = str(REGIONS[region_of(pin.x, pin.y)][0])
    else:
        place = ""
    return _("on slide %(n)d «%(title)s», %(place)s") % {
        "n": slide.position,
        "title": slide.title,
        "place": place,
    }
