"""Bulk actions: from the department queue (assign, change status) and from moderation (reject with one
reason, after a confirmation). One change for the selected rows, each report checked on its own, and the
outcome of each listed."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.backoffice.selectors.desk import Desk, sees_all_departments, visible_by_id
from gorod.backoffice.views.common import int_or_none, log_refusal, next_or, staff_view
from gorod.city.models import RejectionReason, ResponseTemplate
from gorod.reports.models import Report
from gorod.reports.services import ReportInvalid, moderation

MAX_BULK = 200


class Back(NamedTuple):
    """Where the result page's button leads, and what it says."""

    url: str
    label: str


def _to_queue(request: HttpRequest) -> Back:
    return Back(next_or(request, reverse("backoffice:queue")), _("Back to the queue"))


def _to_moderation() -> Back:
    return Back(reverse("backoffice:moderation"), _("Back to moderation"))


@require_POST
@staff_view
def bulk(request: HttpRequest, desk: Desk) -> HttpResponse:
    ids = _chosen_ids(request)
    op = request.POST.get("op", "")
    apply = _bulk_operation(request, desk, op)
    if apply is None or not ids:
        return _refused(request, desk, _("Choose reports and an action."), _to_queue(request))
    reports = visible_by_id(desk.user, desk.municipality, ids)
    return _apply(request, desk, ids, reports, f"bulk:{op}", apply, _to_queue(request))


@require_POST
@staff_view
def moderation_reject(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Reject the reports chosen in the moderation queue with one reason. The first post shows what is
    about to happen; the same post with `confirmed` does it."""
    if not (sees_all_departments(desk.user) and desk.user.has_perm("reports.reject", None)):
        log_refusal(request, "bulk:reject", None, "permission")
        raise PermissionDenied
    ids = _chosen_ids(request)
    reason = RejectionReason.objects.filter(
        municipality=desk.municipality, pk=int_or_none(request.POST.get("reason")) or 0
    ).first()
    reports = visible_by_id(desk.user, desk.municipality, ids)
    if reason is None or not reports:
        return _refused(request, desk, _("Choose reports and a reason."), _to_moderation())
    text = request.POST.get("reject_text", "")
    if request.POST.get("confirmed") != "1":
        context = {
            "desk": desk,
            "city": desk.municipality,
            "reports": [reports[pk] for pk in ids if pk in reports],
            "reason": reason,
            "text": text,
        }
        return render(request, "backoffice/bulk_reject_confirm.html", context)

    def reject(report: Report) -> None:
        moderation.report_reject(report=report, actor=desk.user, reason=reason, text=text)

    return _apply(request, desk, ids, reports, "bulk:reject", reject, _to_moderation())


def _chosen_ids(request: HttpRequest) -> list[int]:
    values = (int_or_none(v) for v in request.POST.getlist("ids")[:MAX_BULK])
    return list(dict.fromkeys(pk for pk in values if pk is not None))


def _refused(request: HttpRequest, desk: Desk, error: str, back: Back) -> HttpResponse:
    context = {"desk": desk, "city": desk.municipality, "error": error, "outcomes": [], "back": back}
    return render(request, "backoffice/bulk_result.html", context, status=400)


def _apply(
    request: HttpRequest,
    desk: Desk,
    ids: list[int],
    reports: dict[int, Report],
    action: str,
    apply: Callable[[Report], object],
    back: Back,
) -> HttpResponse:
    """Apply to each chosen report this user may see (`reports`), and list the outcome of each, in the
    order chosen."""
    outcomes = [_not_found(request, action, pk) for pk in ids if pk not in reports]
    chosen = [reports[pk] for pk in ids if pk in reports]
    outcomes += moderation.bulk_apply(reports=chosen, actor=desk.user, apply=apply)
    for outcome in outcomes:
        if not outcome.ok:
            log_refusal(request, action, outcome.report_id, "refused")
    context = {
        "desk": desk,
        "city": desk.municipality,
        "outcomes": sorted(outcomes, key=lambda o: ids.index(o.report_id)),
        "done": sum(o.ok for o in outcomes),
        "back": back,
    }
    return render(request, "backoffice/bulk_result.html", context)


def _not_found(request: HttpRequest, action: str, pk: int) -> moderation.BulkOutcome:
    log_refusal(request, action, pk, "not visible")
    return moderation.BulkOutcome(pk, False, _("There is no such report in your queue."))


def _bulk_operation(request: HttpRequest, desk: Desk, op: str) -> Callable[[Report], object] | None:
    """The change the form asks for, as a function of one report; None if the form makes no sense."""
    if op == "assign":
        return _assign(request, desk)
    if op == "act":
        return _act(request, desk)
    return None


def _assign(request: HttpRequest, desk: Desk) -> Callable[[Report], object] | None:
    raw = request.POST.get("assignee", "")
    assignee = None if raw == "none" else get_user_model().objects.filter(pk=int_or_none(raw) or 0).first()
    if assignee is None and raw != "none":
        return None
    return lambda report: moderation.report_assign(report=report, actor=desk.user, assignee=assignee)


def _act(request: HttpRequest, desk: Desk) -> Callable[[Report], object] | None:
    action = request.POST.get("action", "")
    if action not in moderation.DEPARTMENT_ACTIONS or action == "transfer":
        return None
    template = ResponseTemplate.objects.filter(
        municipality=desk.municipality, pk=int_or_none(request.POST.get("template")) or 0
    ).first()
    note = request.POST.get("public_note", "")
    private = request.POST.get("private_note", "")

    def act(report: Report) -> None:
        text = note
        if template is not None:
            if template.action != action or (template.category_id not in (None, report.category_id)):
                raise ReportInvalid(_("The chosen template does not fit this report."))
            text = moderation.fill_template(template.text, report)
        moderation.report_act(
            report=report, actor=desk.user, action=action, public_note=text, private_note=private
        )

    return act
