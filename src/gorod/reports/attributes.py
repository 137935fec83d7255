"""A category's Open311 attributes (the questions it asks): validation of the answers, shared by the web
form and the API, and the answers in words, shared by the public page and the back office."""

from __future__ import annotations

import datetime as dt
import math

from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gorod.city.models import Attribute
from gorod.core.i18n import localized

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


def choice_label(value: dict) -> str:
    """The name of one of an attribute's values in the active language."""
    return str(localized(value.get("name"), value.get("name_en")) or value.get("key"))


def answers(attributes: list[Attribute], values: dict) -> list[tuple[str, str]]:
    """(question, answer in words) for each attribute answered, in the attributes' order."""
    rows = []
    for attr in attributes:
        if attr.code not in values:
            continue
        value = values[attr.code]
        names = {str(v.get("key")): choice_label(v) for v in attr.values}
        if isinstance(value, list):
            shown = ", ".join(names.get(str(v), str(v)) for v in value)
        elif attr.datatype == Attribute.Datatype.SINGLEVALUELIST:
            shown = names.get(str(value), str(value))
        elif attr.datatype == Attribute.Datatype.NUMBER and isinstance(value, float | int):
            shown = formats.number_format(int(value) if float(value).is_integer() else value)
        elif attr.datatype == Attribute.Datatype.DATETIME:
            parsed = parse_datetime(str(value))
            shown = formats.date_format(parsed, "DATETIME_FORMAT") if parsed else str(value)
        else:
            shown = str(value)
        rows.append((attr.label, shown))
    return rows
