"""A report in the back office: its whole history (private notes and edits included), contact details
for those allowed once they ask to see them (written to the audit trail), every photo, and the forms of
the actions this user may take in this state. Each
POST names one action; the view parses it and calls one function of reports.services.moderation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from gorod.backoffice.selectors.desk import Desk, visible_reports
from gorod.backoffice.selectors.report import report_for_staff, report_page
from gorod.backoffice.views.actions import ACTIONS
from gorod.backoffice.views.common import back_to, log_refusal, map_config, staff_view
from gorod.core.images import PhotoLimits
from gorod.reports.services import ReportInvalid, ReportRefused, moderation


@require_GET
@staff_view
def report_detail(request: HttpRequest, desk: Desk, pk: int) -> HttpResponse:
    return _render_detail(request, desk, pk)


@require_POST
@staff_view
def report_contacts(request: HttpRequest, desk: Desk, pk: int) -> HttpResponse:
    """The page again, with the author's contact details shown: a deliberate look, audited, instead of
    every page view showing (and logging) them."""
    report = report_for_staff(desk.user, desk.municipality, pk)
    if report is None:
        raise Http404(_("There is no report with this number in your queues."))
    try:
        moderation.contacts_reveal(report=report, actor=desk.user)
    except PermissionDenied:
        log_refusal(request, "contacts", pk, "permission")
        raise
    response = _render_detail(request, desk, pk, revealed=True)
    response["Cache-Control"] = "no-store"
    return response


def _render_detail(
    request: HttpRequest, desk: Desk, pk: int, *, error: str = "", status: int = 200, revealed: bool = False
) -> HttpResponse:
    page = report_page(desk=desk, pk=pk)
    if page is None:
        raise Http404(_("There is no report with this number in your queues."))
    report = page["report"]
    context = {
        "desk": desk,
        "city": desk.municipality,
        **page,
        "error": error,
        "revealed": revealed,
        "posted": request.POST if request.method == "POST" else {},
        "max_photos": settings.GOROD_MAX_PHOTOS,
        "max_photo_mb": settings.GOROD_PHOTO_MAX_BYTES >> 20,
        "map_config": map_config(
            center=[report.lat, report.lon],
            zoom=16,
            point=[report.lat, report.lon],
            districts=reverse("reports-districts"),
        ),
    }
    return render(request, "backoffice/report.html", context, status=status)


# --- actions --------------------------------------------------------------------------------------------
@csrf_exempt
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Proof photos arrive with "act": the upload limits must be in place before anything reads the
    body, and the CSRF check reads it, so the check runs after them (as on the public report form)."""
    if action not in ACTIONS:
        raise Http404
    limits = None
    if action == "act":
        limits = PhotoLimits(request, field_name="proof")
        request.upload_handlers.insert(0, limits)
        try:
            request.POST  # noqa: B018 - parse now, under our handlers
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, SuspiciousOperation):
            limits.too_big.append(0)
    return _report_action(request, pk, action, limits)


@csrf_protect
@staff_view
def _report_action(request: HttpRequest, desk: Desk, pk: int, action: str, limits) -> HttpResponse:
    report = report_for_staff(desk.user, desk.municipality, pk)
    if report is None:
        log_refusal(request, action, pk, "not visible")
        raise Http404(_("There is no report with this number in your queues."))
    try:
        if limits is not None and (limits.too_big or limits.count > settings.GOROD_MAX_PHOTOS):
            raise ReportInvalid(
                " ".join(limits.errors())
                or _("The form was too large to accept. Attach at most %(n)d photos of up to %(mb)d MB each.")
                % {"n": settings.GOROD_MAX_PHOTOS, "mb": settings.GOROD_PHOTO_MAX_BYTES >> 20}
            )
        message = ACTIONS[action](request, desk, report)
    except PermissionDenied:
        log_refusal(request, action, pk, "permission")
        raise
    except ReportRefused as exc:
        log_refusal(request, action, pk, "refused")
        return _render_detail(request, desk, pk, error=" ".join(exc.messages), status=409)
    messages.success(request, message)
    if not visible_reports(desk.user, desk.municipality).filter(pk=pk).exists():
        # Transferred out of the department: its page would be a 404 now, so back to the queue.
        return back_to(request, reverse("backoffice:queue"))
    return back_to(request, reverse("backoffice:report", args=[pk]))
