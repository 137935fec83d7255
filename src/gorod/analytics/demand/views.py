"""The monthly demand report in the back office (HTML) and the PDFs the worker kept. Staff roles and
auditors only (the back-office permission); the counters hold nothing personal, but usage figures of a
city's services are for its officials."""

from __future__ import annotations

import functools
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gorod.accounts.access import staff_required
from gorod.accounts.selectors import municipality_of
from gorod.analytics.demand import catalog, selectors
from gorod.analytics.demand.models import DemandReport


def official_view(view):
    """staff_required plus the back-office permission (every staff role and auditors); passes the
    municipality of the account, never the host's (as the back office does)."""

    @staff_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm("reports.view_backoffice"):
            raise PermissionDenied
        municipality = municipality_of(request.user)  # type: ignore[arg-type]
        if municipality is None:
            raise PermissionDenied
        timezone.activate(ZoneInfo(municipality.timezone))
        try:
            return view(request, municipality, *args, **kwargs)
        finally:
            timezone.deactivate()

    return wrapper


@require_GET
@official_view
def latest(request: HttpRequest, municipality) -> HttpResponse:
    return redirect("demand:report", month=f"{selectors.current_month(municipality):%Y-%m}")


@require_GET
@official_view
def report(request: HttpRequest, municipality, month: str) -> HttpResponse:
    first = selectors.parse_month(month, municipality)
    if first is None:
        raise Http404
    figures = selectors.demand_figures(municipality, first)
    current = selectors.current_month(municipality)
    context = {
        "f": figures,
        "city": municipality,
        "desk": SimpleNamespace(user=request.user, municipality=municipality),  # the back-office header
        "month_text": f"{first:%Y-%m}",
        "earlier": f"{figures.previous:%Y-%m}" if figures.previous >= selectors.FIRST_MONTH else "",
        "later": f"{selectors.next_month(first):%Y-%m}" if first < current else "",
        "is_current": first == current,
        "stored": selectors.stored_reports(municipality)[:24],
        "min_people": catalog.TERM_MIN_PEOPLE,
    }
    return render(request, "analytics/demand/report.html", context)


@require_GET
@official_view
def report_pdf(request: HttpRequest, municipality, month: str) -> HttpResponse:
    first = selectors.parse_month(month, municipality)
    if first is None:
        raise Http404
    pdf = (
        DemandReport.objects.filter(municipality=municipality, month=first)
        .values_list("pdf", flat=True)
        .first()
    )
    if pdf is None:
        raise Http404
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="demand-{municipality.slug}-{first:%Y-%m}.pdf"'
    return response
