"""/stats/ (public dashboards) and /backoffice/stats/ (the same for staff, with departments), each chart
with its CSV. Read-only; bad filters are ignored with a message on the page and refused (400) for a CSV,
which must never silently hold other figures than asked for."""

from __future__ import annotations

import csv
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gorod.accounts.access import staff_required
from gorod.analytics.opendata.files import safe_cell
from gorod.analytics.periods import PRESETS
from gorod.analytics.stats import dashboard, filters, tables
from gorod.city import selectors as city_selectors
from gorod.city.models import Category, Department, District, Municipality
from gorod.core import clock


def _public_city(request: HttpRequest) -> Municipality | None:
    return city_selectors.default_municipality()


def _staff_city(request: HttpRequest) -> Municipality:
    """The staff member's city as the back office picks it: the department's, else the account's, else
    the installation's default (never the one of the host asked)."""
    if not request.user.has_perm("reports.view_backoffice"):
        raise PermissionDenied
    user = request.user
    department_id = getattr(user, "department_id", None)
    department = Department.objects.filter(pk=department_id).first() if department_id else None
    city_id = department.municipality_id if department else getattr(user, "municipality_id", None)
    city = Municipality.objects.filter(pk=city_id).first() if city_id else None
    city = city or city_selectors.municipality_for_host("")
    if city is None:
        raise Http404
    return city


def _page(request: HttpRequest, city: Municipality, *, staff: bool) -> HttpResponse:
    today = clock.today(ZoneInfo(city.timezone))
    f, errors = filters.parse(request.GET, city, today, staff=staff)
    ctx = dashboard.context(city, f, staff=staff)
    keys = dashboard.STAFF_CHARTS if staff else dashboard.PUBLIC_CHARTS
    charts = [dashboard.build(ctx, key) for key in keys]
    query = urlencode(f.params())
    context = {
        "city": city,
        "f": f,
        "errors": errors,
        "staff": staff,
        "charts": [
            {
                "chart": chart,
                "rows": len(chart.rows),
                "table": tables.table(
                    chart,
                    _("%(what)s: the figures") % {"what": chart.title},
                    [("?" + urlencode(f.params(department=pk))) for pk in chart.links],
                ),
                "csv_url": f"csv/{chart.key}/?{query}",
            }
            for chart in charts
        ],
        "totals": ctx.totals.counts,
        "presets": [(key, label) for key, (_days, label) in PRESETS.items()],
        "districts": District.objects.filter(municipality=city).order_by("name"),
        "categories": Category.objects.filter(municipality=city).order_by("name"),
        "departments": Department.objects.filter(municipality=city).order_by("name") if staff else (),
    }
    return render(request, "analytics/stats.html", context)


def _csv(request: HttpRequest, city: Municipality, key: str, *, staff: bool) -> HttpResponse:
    if key not in (dashboard.STAFF_CHARTS if staff else dashboard.PUBLIC_CHARTS):
        raise Http404
    today = clock.today(ZoneInfo(city.timezone))
    f, errors = filters.parse(request.GET, city, today, staff=staff)
    if errors:
        return HttpResponse("\n".join(errors.values()), status=400, content_type="text/plain; charset=utf-8")
    chart = dashboard.build(dashboard.context(city, f, staff=staff), key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="stats-{key}-{f.first.isoformat()}-{f.last.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([safe_cell(h) for h in chart.header])
    for row in chart.rows:
        writer.writerow([safe_cell("" if v is None else dashboard.shown(v)) for v in row])
    return response


@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    city = _public_city(request)
    if city is None:
        return render(request, "no_city.html", status=404)
    return _page(request, city, staff=False)


@require_GET
def stats_csv(request: HttpRequest, key: str) -> HttpResponse:
    city = _public_city(request)
    if city is None:
        return render(request, "no_city.html", status=404)
    return _csv(request, city, key, staff=False)


@require_GET
@staff_required
def staff_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _staff_city(request), staff=True)


@require_GET
@staff_required
def staff_csv(request: HttpRequest, key: str) -> HttpResponse:
    return _csv(request, _staff_city(request), key, staff=True)
