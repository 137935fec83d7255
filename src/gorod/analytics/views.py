"""The public department performance page and its CSV. Read-only; never a 500 for a bad query string."""

from __future__ import annotations

import csv
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from gorod.analytics import periods, selectors
from gorod.analytics.stats.figures import performance
from gorod.city import selectors as city_selectors
from gorod.core import clock

GROUPS = ("department", "district")


def _city_or_404(request: HttpRequest):
    city = city_selectors.default_municipality()
    if city is None:
        return None, render(request, "no_city.html", status=404)
    return city, None


@require_GET
def performance_page(request: HttpRequest) -> HttpResponse:
    city, missing = _city_or_404(request)
    if missing is not None:
        return missing
    choice, errors = periods.parse(request.GET, clock.today(ZoneInfo(city.timezone)))
    perf = performance(city, choice.first, choice.last)
    period_query = [("from", choice.first.isoformat()), ("to", choice.last.isoformat())]
    tables = []
    for group, title in (("department", _("Departments")), ("district", _("Districts"))):
        tables.append(
            {
                "group": group,
                "title": title,
                "rows": [
                    {
                        "row": row,
                        "cells": _cells(row.figures),
                        "list_url": "/reports/?" + urlencode([(group, str(row.key)), *period_query]),
                    }
                    for row in selectors.rows(perf, city, group, choice.sort)
                ],
                "csv_url": "csv/?" + urlencode(choice.params(by=group)),
            }
        )
    columns = [
        {
            "key": key,
            "label": label,
            "higher_better": higher,
            "url": "?" + urlencode(choice.params(sort=key)) + "#tables",
            "current": key == choice.sort,
        }
        for key, (label, higher) in periods.COLUMNS.items()
    ]
    context = {
        "city": city,
        "choice": choice,
        "errors": errors,
        "perf": perf,
        "totals": _cells(perf.totals),
        "tables": tables,
        "columns": columns,
        "sort_label": periods.COLUMNS[choice.sort][0],
        "sort_higher_better": periods.COLUMNS[choice.sort][1],
        "presets": [(key, label) for key, (_days, label) in periods.PRESETS.items()],
    }
    return render(request, "analytics/performance.html", context)


def _cells(f) -> dict[str, dict[str, str]]:
    """Each column's value and its basis (how many it was measured on), formatted for the locale."""
    blank = {"value": "—", "basis": ""}
    return {
        "received": {"value": number_format(f.received, force_grouping=True), "basis": ""},
        "on_time": {
            "value": _pct(f.on_time_share),
            "basis": ngettext("of %(n)s resolved", "of %(n)s resolved", f.resolved) % {"n": f.resolved},
        }
        if f.resolved
        else blank,
        "median_days": {"value": _fmt(f.median_days), "basis": ""} if f.median_days is not None else blank,
        "disputed": {
            "value": _pct(f.disputed_share),
            "basis": _("%(d)s of %(n)s") % {"d": f.disputes, "n": f.resolutions},
        }
        if f.resolutions
        else blank,
        "satisfaction": {
            "value": _fmt(f.satisfaction),
            "basis": ngettext("%(n)s rating", "%(n)s ratings", f.ratings) % {"n": f.ratings},
        }
        if f.ratings
        else blank,
    }


def _fmt(v: float) -> str:
    # number_format cuts digits off; round first so 2/3 shows as 66.7.
    return number_format(round(v, 1), 1)


def _pct(share: float | None) -> str:
    return "—" if share is None else _fmt(share * 100) + "\u00a0%"


CSV_HEADER = (
    "name", "rank", "received", "resolved", "on_time", "on_time_share", "median_working_days",
    "resolutions", "disputes", "disputed_share", "satisfaction_mean", "satisfaction_count",
)  # fmt: skip


@require_GET
def performance_csv(request: HttpRequest) -> HttpResponse:
    city, missing = _city_or_404(request)
    if missing is not None:
        return missing
    group = request.GET.get("by", "department")
    if group not in GROUPS:
        return HttpResponse(
            _("Choose by=department or by=district."), status=400, content_type="text/plain; charset=utf-8"
        )
    choice, _errors = periods.parse(request.GET, clock.today(ZoneInfo(city.timezone)))
    perf = performance(city, choice.first, choice.last)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="performance-{group}-{choice.first.isoformat()}-{choice.last.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in selectors.rows(perf, city, group, choice.sort):
        f = row.figures
        writer.writerow(
            [
                _cell(row.name), row.rank or "", f.received, f.resolved, f.on_time, _num(f.on_time_share, 4),
                _num(f.median_days, 1), f.resolutions, f.disputes, _num(f.disputed_share, 4),
                _num(f.satisfaction, 2), f.ratings,
            ]
        )  # fmt: skip
    return response


def _num(v: float | None, places: int) -> str:
    return "" if v is None else f"{v:.{places}f}"


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting with these as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
