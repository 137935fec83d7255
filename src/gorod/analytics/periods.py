"""The period and ordering of the performance page, read from the query string. Bad values never raise:
each is replaced by the default and explained in the errors dict (parameter → message)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gorod.reports.filters import bad_day_message, parse_day

# Rolling periods that end today (local day of the municipality).
PRESETS = {
    "30d": (30, gettext_lazy("Last 30 days")),
    "quarter": (91, gettext_lazy("Last quarter (91 days)")),
    "year": (365, gettext_lazy("Last year (365 days)")),
}
DEFAULT_PRESET = "30d"
MAX_DAYS = 366 * 5  # longer periods mean nothing for a ranking and cost a full scan
MIN_YEAR = 2000

# Column → (label, True when a higher value is better). "received" is volume, not merit: largest first.
COLUMNS = {
    "received": (gettext_lazy("Reports received"), True),
    "on_time": (gettext_lazy("On time"), True),
    "median_days": (gettext_lazy("Median working days to resolve"), False),
    "disputed": (gettext_lazy("Disputed"), False),
    "satisfaction": (gettext_lazy("Satisfaction"), True),
}
DEFAULT_SORT = "on_time"


@dataclasses.dataclass(frozen=True)
class Choice:
    first: dt.date
    last: dt.date
    preset: str  # "" for a custom range
    sort: str

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def params(self, **override: str) -> list[tuple[str, str]]:
        pairs = (
            {"period": self.preset}
            if self.preset
            else {"from": self.first.isoformat(), "to": self.last.isoformat()}
        )
        pairs["sort"] = self.sort
        pairs.update(override)
        return list(pairs.items())


def parse(params: QueryDict, today: dt.date) -> tuple[Choice, dict[str, str]]:
    errors: dict[str, str] = {}
    sort = params.get("sort", "").strip() or DEFAULT_SORT
    if sort not in COLUMNS:
        errors["sort"] = _("Unknown column “%(value)s”; the table is ranked by the on-time share.") % {
            "value": sort[:40]
        }
        sort = DEFAULT_SORT

    first = _day(params, "from", errors, today)
    last = _day(params, "to", errors, today)
    if first or last:
        first = first or (last or today) - dt.timedelta(days=PRESETS[DEFAULT_PRESET][0] - 1)
        last = last or today
        if first > last:
            errors["to"] = _("The end date is before the start date; the last 30 days are shown instead.")
        elif (last - first).days + 1 > MAX_DAYS:
            errors["from"] = _("Choose a period of at most five years; the last 30 days are shown instead.")
        else:
            return Choice(first, last, "", sort), errors

    preset = params.get("period", "").strip() or DEFAULT_PRESET
    if preset not in PRESETS:
        errors["period"] = _("Unknown period “%(value)s”; the last 30 days are shown.") % {
            "value": preset[:40]
        }
        preset = DEFAULT_PRESET
    length = PRESETS[preset][0]
    return Choice(today - dt.timedelta(days=length - 1), today, preset, sort), errors


def _day(params: QueryDict, name: str, errors: dict[str, str], today: dt.date) -> dt.date | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    day = parse_day(raw, min_year=MIN_YEAR, max_year=today.year + 1)
    if day is None:
        errors[name] = bad_day_message(raw)
    return day
