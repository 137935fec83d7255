"""Validation of a category's Open311 attribute values, shared by the web form and the API."""

from __future__ import annotations

import datetime as dt
import math

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gorod.city.models import Attribute

MAX_STRING = 300
MAX_TEXT = 4000


def clean_attributes(attributes: list[Attribute], raw: dict[str, str | list[str]]) -> tuple[dict, dict]:
    """Return (values, errors). `raw` maps code → a string, or a list of strings for multi-value lists.
    Values are normalised: numbers as floats, datetimes as ISO strings, lists as lists of keys."""
    by_code = {a.code: a for a in attributes if a.variable}
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for code in raw:
        if code not in by_code:
            errors[code] = _("Unknown attribute “%(code)s” for this service.") % {"code": code}
    for code, attr in by_code.items():
        given = raw.get(code)
        items = [given] if isinstance(given, str) else list(given or [])
        items = [str(i).strip() for i in items if str(i).strip()]
        if any("\x00" in i for i in items):
            errors[code] = _("Contains a character that is not allowed.")
            continue
        if not items:
            if attr.required:
                errors[code] = _("“%(label)s” is required.") % {"label": attr.label}
            continue
        try:
            values[code] = _clean_one(attr, items)
        except ValueError as exc:
            errors[code] = str(exc)
    return values, errors


def _clean_one(attr: Attribute, items: list[str]) -> object:
    D = Attribute.Datatype
    if attr.datatype == D.MULTIVALUELIST:
        unknown = [i for i in items if i not in attr.value_keys()]
        if unknown:
            raise ValueError(_("“%(value)s” is not one of the choices.") % {"value": unknown[0][:50]})
        return sorted(set(items), key=items.index)
    if len(items) > 1:
        raise ValueError(_("Give one value only."))
    value = items[0]
    if attr.datatype == D.SINGLEVALUELIST:
        if value not in attr.value_keys():
            raise ValueError(_("“%(value)s” is not one of the choices.") % {"value": value[:50]})
        return value
    if attr.datatype == D.NUMBER:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise ValueError(_("Enter a number.")) from None
        if not math.isfinite(number):
            raise ValueError(_("Enter a number."))
        return number
    if attr.datatype == D.DATETIME:
        try:
            parsed = parse_datetime(value) or dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError(_("Enter a date and time like 2026-05-01T10:30:00+03:00."))
        return parsed.isoformat()
    limit = MAX_STRING if attr.datatype == D.STRING else MAX_TEXT
    if len(value) > limit:
        raise ValueError(_("At most %(n)d characters.") % {"n": limit})
    return value
