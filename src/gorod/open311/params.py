"""Parsing of Open311 query parameters. Every function takes the raw text (or None) and returns a clean
value or raises Open311Error(400) naming the parameter; nothing here touches the database.

The spec says an empty optional parameter means the same as an absent one, so "" is treated as None."""

from __future__ import annotations

import datetime as dt
import math
import re

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from gorod.open311.render import FORMATS, Open311Error

MAX_PAGE_SIZE = 1000
MAX_IDS = 1000
MAX_RANGE = dt.timedelta(days=90)
MAX_RADIUS_M = 5000
_DIGITS = re.compile(r"[0-9]{1,18}")  # ASCII only: int() would also take "٣" or "²"
_NUMBER = re.compile(r"[+-]?[0-9]{1,4}(\.[0-9]{1,20})?")
# Wider than our own codes (lower-case slugs): any sane Open311 code is looked up, and then not found.
SERVICE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def bad(name: str, message: str) -> Open311Error:
    return Open311Error(400, f"{name}: {message}")


def given(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(400, _("format: use .json or .xml at the end of the URL."))
    return fmt


def integer(name: str, value: str | None, *, low: int, high: int) -> int | None:
    value = given(value)
    if value is None:
        return None
    if not _DIGITS.fullmatch(value) or not low <= int(value) <= high:
        raise bad(
            name, _("a whole number from %(low)d to %(high)d is expected.") % {"low": low, "high": high}
        )
    return int(value)


def number(name: str, value: str | None, *, low: float, high: float, like: float) -> float | None:
    """`like` is the example a refusal gives: a coordinate of the city asked about, not another's."""
    value = given(value)
    if value is None:
        return None
    if not _NUMBER.fullmatch(value):
        raise bad(name, _("a decimal number is expected, like %(example)s.") % {"example": round(like, 4)})
    result = float(value)
    if not (math.isfinite(result) and low <= result <= high):
        raise bad(name, _("must be between %(low)s and %(high)s.") % {"low": low, "high": high})
    return result


def boolean(name: str, value: str | None) -> bool:
    value = given(value)
    if value is None:
        return False
    lowered = value.lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    raise bad(name, _("use true or false."))


def request_id(value: str) -> int:
    if not _DIGITS.fullmatch(value or ""):
        raise bad("service_request_id", _("a service request id is a number."))
    return int(value)


def request_ids(value: str | None) -> tuple[int, ...]:
    value = given(value)
    if value is None:
        return ()
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if len(parts) > MAX_IDS:
        raise bad("service_request_id", _("at most %(n)d ids at once.") % {"n": MAX_IDS})
    if not all(_DIGITS.fullmatch(p) for p in parts):
        raise bad("service_request_id", _("a comma-separated list of numbers is expected."))
    return tuple(dict.fromkeys(int(p) for p in parts))


def service_codes(value: str | None) -> tuple[str, ...]:
    value = given(value)
    if value is None:
        return ()
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if len(parts) > 200 or not all(SERVICE_CODE.fullmatch(p) for p in parts):
        raise bad("service_code", _("a comma-separated list of service codes is expected."))
    return tuple(dict.fromkeys(parts))


def open_or_closed(value: str | None) -> str:
    """ "open", "closed", or "" for both."""
    value = given(value)
    if value is None:
        return ""
    wanted = {p.strip().lower() for p in value.split(",") if p.strip()}
    if not wanted or not wanted <= {"open", "closed"}:
        raise bad("status", _("use open, closed, or both separated by a comma."))
    return wanted.pop() if len(wanted) == 1 else ""


def moment(name: str, value: str | None, tz: dt.tzinfo, *, end_of_day: bool = False) -> dt.datetime | None:
    """A w3c datetime (with or without offset; a bare date means the whole day, in the city's zone)."""
    value = given(value)
    if value is None:
        return None
    parsed: dt.datetime | None = None
    if len(value) <= 40:
        try:
            # A bare date first: Python's fromisoformat would read it as midnight, losing "whole day".
            day = parse_date(value)
            if day is not None:
                parsed = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min)
            else:
                parsed = parse_datetime(value)
        except ValueError:
            parsed = None
    if parsed is None or not 1900 <= parsed.year <= 2999:
        raise bad(name, _("use the w3c format, e.g. 2026-05-01T00:00:00+03:00."))
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed


def date_range(
    start: str | None, end: str | None, *, tz: dt.tzinfo, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime | None]:
    """The span to search: at most 90 days; the most recent 90 days when neither end is given."""
    since = moment("start_date", start, tz)
    until = moment("end_date", end, tz, end_of_day=True)
    if since and until:
        if until < since:
            raise bad("end_date", _("must not be before start_date."))
        if until - since > MAX_RANGE:
            raise bad("end_date", _("start_date and end_date may be at most 90 days apart."))
        return since, until
    if since:
        return since, since + MAX_RANGE
    if until:
        return until - MAX_RANGE, until
    return now - MAX_RANGE, None


def bbox(value: str | None, *, centre: tuple[float, float]) -> tuple[float, float, float, float] | None:
    """west,south,east,north in, (south, west, north, east) out, as reports.selectors wants it.
    `centre` (lat, lon) gives the examples of a refusal."""
    value = given(value)
    if value is None:
        return None
    parts = value.split(",")
    message = _("use west,south,east,north in degrees, west < east and south < north.")
    if len(parts) != 4:
        raise bad("bbox", message)
    west, east = (number("bbox", parts[i], low=-180, high=180, like=centre[1]) for i in (0, 2))
    south, north = (number("bbox", parts[i], low=-90, high=90, like=centre[0]) for i in (1, 3))
    if west is None or south is None or east is None or north is None or not (west < east and south < north):
        raise bad("bbox", message)
    return south, west, north, east


def circle(
    lat: str | None, lon: str | None, radius: str | None, *, centre: tuple[float, float]
) -> tuple[float, float, float] | None:
    """(lat, long, radius in metres) when any of the three is given; all three are then needed."""
    if given(lat) is None and given(lon) is None and given(radius) is None:
        return None
    la = number("lat", lat, low=-90, high=90, like=centre[0])
    lo = number("long", lon, low=-180, high=180, like=centre[1])
    r = integer("radius", radius, low=1, high=MAX_RADIUS_M)
    if la is None or lo is None or r is None:
        raise bad(
            "radius", _("lat, long and radius (metres, 1 to %(max)d) go together.") % {"max": MAX_RADIUS_M}
        )
    return la, lo, float(r)


def paging(page: str | None, page_size: str | None) -> tuple[int, int]:
    number_ = integer("page", page, low=1, high=1_000_000) or 1
    size = integer("page_size", page_size, low=1, high=MAX_PAGE_SIZE) or MAX_PAGE_SIZE
    return number_, size
