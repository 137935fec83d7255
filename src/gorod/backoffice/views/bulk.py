"""Bulk actions from the department queue: one change for the selected rows, each report checked on its
own, and the outcome of each listed."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gorod.backoffice.selectors.desk import Desk, visible_by_id
from gorod.backoffice.views.common import int_or_none, log_refusal, next_or, staff_view
from gorod.city.models import ResponseTemplate
from gorod.reports.models import Report
from gorod.reports.services import ReportInvalid, moderation

MAX_BULK = 200


@require_POST
@staff_view
def bulk(request: HttpRequest, desk: Desk) -> HttpResponse:
    ids = [pk for pk in (int_or_none(v) for v in request.POST.getlist("ids")[:MAX_BULK]) if pk is not None]
    op = request.POST.get("op", "")
    reports = visible_by_id(desk.user, desk.municipality, ids)
    outcomes = [_not_found(request, op, pk) for pk in ids if pk not in reports]
    apply = _bulk_operation(request, desk, op)
    context: dict = {"desk": desk, "city": desk.municipality}
    if apply is None or not ids:
        context |= {"error": _("Choose reports and an action."), "outcomes": []}
        return render(request, "backoffice/bulk_result.html", context, status=400)
    chosen = [reports[pk] for pk in ids if pk in reports]
    outcomes += moderation.bulk_apply(reports=chosen, actor=desk.user, apply=apply)
    for outcome in outcomes:
        if not outcome.ok:
            log_refusal(request, f"bulk:{op}", outcome.report_id, "refused")
    context |= {
        "outcomes": sorted(outcomes, key=lambda o: ids.index(o.report_id) if o.report_id in ids else 0),
        "done": sum(o.ok for o in outcomes),
        "back": next_or(request, reverse("backoffice:queue")),
    }
    return render(request, "backoffice/bulk_result.html", context)


def _not_found(request: HttpRequest, op: str, pk: int) -> moderation.BulkOutcome:
    log_refusal(request, f"bulk:{op}", pk, "not visible")
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
