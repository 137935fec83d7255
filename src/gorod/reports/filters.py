"""Query-string → ReportFilter for the public pages: the list at /reports/, the map clusters at
/reports/map.json and the links between them. Bad values never raise: each one is dropped and explained
in the errors dict (parameter name → message), so a hand-edited URL gives a message, not a 500."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.http import QueryDict
from django.utils.translation import gettext as _

from gorod.city.models import Category, Department, District, Municipality
from gorod.reports.selectors import ReportFilter
from gorod.reports.workflow import Status

# More values than this in one parameter is not a person using the form; cap the size of the IN (...).
MAX_VALUES = 100
PARAMS = ("category", "district", "department", "status", "from", "to")
MIN_YEAR, MAX_YEAR = 1970, 2100
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_filters(params: QueryDict, municipality: Municipality) -> tuple[ReportFilter, dict[str, str]]:
    """Read category=<id>…, district=<id>…, status=<workflow status>…, from=YYYY-MM-DD and
    to=YYYY-MM-DD (both days included, in the municipality's time zone). Unknown ids and statuses,
    malformed numbers and dates are left out of the filter and reported in the errors dict."""
    errors: dict[str, str] = {}

    category_ids = _ids(params, "category", errors)
    if category_ids:
        known = set(
            Category.objects.filter(municipality=municipality, pk__in=category_ids).values_list(
                "pk", flat=True
            )
        )
        category_ids = _keep_known(category_ids, known, "category", errors)

    district_ids = _ids(params, "district", errors)
    if district_ids:
        known = set(
            District.objects.filter(municipality=municipality, pk__in=district_ids).values_list(
                "pk", flat=True
            )
        )
        district_ids = _keep_known(district_ids, known, "district", errors)

    # A department: the performance and statistics pages link to its reports (one department at a time).
    department_ids = _ids(params, "department", errors)[:1]
    if department_ids:
        known = set(
            Department.objects.filter(municipality=municipality, pk__in=department_ids).values_list(
                "pk", flat=True
            )
        )
        department_ids = _keep_known(department_ids, known, "department", errors)

    statuses: list[str] = []
    for raw in _values(params, "status"):
        if raw in Status.values:
            if raw not in statuses:
                statuses.append(raw)
        else:
            errors["status"] = _("Unknown status “%(value)s” was ignored.") % {"value": raw[:40]}

    tz = ZoneInfo(municipality.timezone)
    start_day = _day(params, "from", errors)
    end_day = _day(params, "to", errors)
    if start_day and end_day and start_day > end_day:
        errors["to"] = _("The end date is before the start date; it was ignored.")
        end_day = None
    start = dt.datetime.combine(start_day, dt.time.min, tzinfo=tz) if start_day else None
    end = dt.datetime.combine(end_day, dt.time.max, tzinfo=tz) if end_day else None

    report_filter = ReportFilter(
        categories=tuple(category_ids),
        districts=tuple(district_ids),
        departments=tuple(department_ids),
        statuses=tuple(statuses),
        start=start,
        end=end,
    )
    return report_filter, errors


def to_params(report_filter: ReportFilter, municipality: Municipality) -> list[tuple[str, str]]:
    """The query parameters that give back this filter (only its valid parts): for paging links, the
    map's cluster requests and feed links."""
    tz = ZoneInfo(municipality.timezone)
    pairs: list[tuple[str, str]] = []
    pairs += [("category", str(pk)) for pk in report_filter.categories]
    pairs += [("district", str(pk)) for pk in report_filter.districts]
    pairs += [("department", str(pk)) for pk in report_filter.departments]
    pairs += [("status", s) for s in report_filter.statuses]
    if report_filter.start:
        pairs.append(("from", report_filter.start.astimezone(tz).date().isoformat()))
    if report_filter.end:
        pairs.append(("to", report_filter.end.astimezone(tz).date().isoformat()))
    return pairs


def is_empty(report_filter: ReportFilter) -> bool:
    return not (
        report_filter.categories
        or report_filter.districts
        or report_filter.departments
        or report_filter.statuses
        or report_filter.start
        or report_filter.end
    )


def _values(params: QueryDict, name: str) -> list[str]:
    # Empty strings come from a form's blank choice: they mean "no filter", not an error.
    return [v.strip() for v in params.getlist(name)[:MAX_VALUES] if v.strip()]


def _ids(params: QueryDict, name: str, errors: dict[str, str]) -> list[int]:
    ids: list[int] = []
    for raw in _values(params, name):
        if raw.isascii() and raw.isdigit() and len(raw) <= 18:
            pk = int(raw)
            if pk not in ids:
                ids.append(pk)
        else:
            errors[name] = _message_for(name, raw)
    return ids


def _keep_known(ids: list[int], known: set[int], name: str, errors: dict[str, str]) -> list[int]:
    unknown = [pk for pk in ids if pk not in known]
    if unknown:
        errors[name] = _message_for(name, str(unknown[0]))
    return [pk for pk in ids if pk in known]


def _message_for(name: str, raw: str) -> str:
    value = raw[:40]
    if name == "category":
        return _("There is no category “%(value)s”; it was ignored.") % {"value": value}
    if name == "department":
        return _("There is no department “%(value)s”; it was ignored.") % {"value": value}
    return _("There is no district “%(value)s”; it was ignored.") % {"value": value}


def _day(params: QueryDict, name: str, errors: dict[str, str]) -> dt.date | None:
    values = _values(params, name)
    if not values:
        return None
    day = parse_day(values[0])
    if day is None:
        errors[name] = bad_day_message(values[0])
    return day


def parse_day(raw: str, *, min_year: int = MIN_YEAR, max_year: int = MAX_YEAR) -> dt.date | None:
    """YYYY-MM-DD between min_year and max_year, or None: far dates overflow when moved to UTC and mean
    nothing here."""
    if not _DATE.match(raw):
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:  # 2026-02-30
        return None
    return day if min_year <= day.year <= max_year else None


def bad_day_message(raw: str) -> str:
    return _("“%(value)s” is not a date like 2026-05-13; it was ignored.") % {"value": raw[:40]}
