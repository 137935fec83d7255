"""The dashboards' filters from the query string: a period (as /performance/: analytics.periods), a
district, a category and, for staff, a department. Only these names and only known values are taken;
anything else is left out and explained in the errors dict (name → message), never passed on."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.http import QueryDict
from django.utils.translation import gettext as _

from gorod.analytics import periods
from gorod.city.models import Category, Department, District, Municipality

DEFAULT_PRESET = "year"  # the monthly chart needs months
NAMES = ("period", "from", "to", "district", "category")
STAFF_NAMES = (*NAMES, "department")


@dataclasses.dataclass(frozen=True)
class StatsFilter:
    first: dt.date
    last: dt.date
    preset: str
    district: int | None = None
    category: int | None = None
    department: int | None = None

    def params(self, **override: str) -> list[tuple[str, str]]:
        pairs = (
            {"period": self.preset}
            if self.preset
            else {"from": self.first.isoformat(), "to": self.last.isoformat()}
        )
        for name in ("district", "category", "department"):
            if getattr(self, name) is not None:
                pairs[name] = str(getattr(self, name))
        pairs.update(override)
        return [(k, v) for k, v in pairs.items() if v]


def parse(
    params: QueryDict, municipality: Municipality, today: dt.date, *, staff: bool = False
) -> tuple[StatsFilter, dict[str, str]]:
    allowed = STAFF_NAMES if staff else NAMES
    errors: dict[str, str] = {}
    unknown = sorted(k for k in params if k not in allowed)
    if unknown:
        errors["unknown"] = _("Unknown filter “%(name)s” was ignored.") % {"name": unknown[0][:40]}
    period_params = params.copy()
    if not any(params.get(k, "").strip() for k in ("period", "from", "to")):
        period_params["period"] = DEFAULT_PRESET
    choice, period_errors = periods.parse(period_params, today)
    errors.update({k: v for k, v in period_errors.items() if k != "sort"})
    district = _known(params, "district", District.objects.filter(municipality=municipality), errors)
    category = _known(params, "category", Category.objects.filter(municipality=municipality), errors)
    department = None
    if staff:
        department = _known(
            params, "department", Department.objects.filter(municipality=municipality), errors
        )
    return StatsFilter(choice.first, choice.last, choice.preset, district, category, department), errors


def _known(params: QueryDict, name: str, qs, errors: dict[str, str]) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if len(params.getlist(name)) > 1:
        errors[name] = _("Choose one value for “%(name)s”; the others were ignored.") % {"name": name}
    if raw.isascii() and raw.isdigit() and len(raw) <= 12 and qs.filter(pk=int(raw)).exists():
        return int(raw)
    errors[name] = _("Unknown value “%(value)s” for “%(name)s” was ignored.") % {
        "value": raw[:40],
        "name": name,
    }
    return None
