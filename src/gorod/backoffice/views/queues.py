"""The back office's home, the moderation queue and the department queue with its bulk actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gorod.accounts.roles import is_city_admin, is_department_head, is_department_staff, is_moderator
from gorod.backoffice import selectors
from gorod.backoffice.views.common import EVENT_TITLES, Desk, int_or_none, log_refusal, page_links, staff_view
from gorod.city.models import Category, Department, District, ResponseTemplate
from gorod.reports.models import Report
from gorod.reports.services import ReportInvalid, moderation
from gorod.reports.workflow import CLOSED, TRANSITIONS, Status

QUEUE_PAGE_SIZE = 50
MODERATION_PAGE_SIZE = 50


@require_GET
@staff_view
def home(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Moderators go to their queue, department staff to their department's; administrators and
    auditors get the overview of both."""
    user = request.user
    if is_moderator(user):
        return redirect("backoffice:moderation")
    if is_department_staff(user):
        return redirect("backoffice:queue")
    today = desk.today
    base = Report.objects.filter(municipality=desk.municipality)
    context = {
        "desk": desk,
        "city": desk.municipality,
        "submitted": base.filter(status=Status.SUBMITTED).count(),
        "moderation_overdue": base.filter(status=Status.SUBMITTED, moderation_due__lt=today).count(),
        "pending_answers": selectors.pending_answers(desk.municipality).count(),
        "working": base.filter(status__in=selectors.IN_WORK).count(),
        "overdue": base.exclude(status__in=CLOSED)
        .exclude(status=Status.SUBMITTED)
        .filter(deadline__lt=today)
        .count(),
    }
    return render(request, "backoffice/home.html", context)


@require_GET
@staff_view
def moderation_queue(request: HttpRequest, desk: Desk) -> HttpResponse:
    if not selectors.sees_all_departments(desk.user):
        raise PermissionDenied  # new reports of every department are not a department's to read
    paginator = Paginator(selectors.moderation_queue(desk.municipality), MODERATION_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {"report": r, "left": selectors.days_left(desk.calendar, desk.today, r.moderation_due)}
        for r in page.object_list
    ]
    answers = [
        {"event": e, "title": EVENT_TITLES.get(e.action, e.action)}
        for e in selectors.pending_answers(desk.municipality)[:100]
    ]
    context = {
        "desk": desk,
        "city": desk.municipality,
        "page": page,
        "rows": rows,
        "answers": answers,
        "can_accept": request.user.has_perm("reports.accept", None),
        "can_moderate_answers": request.user.has_perm("reports.moderate_answer", None),
        "page_links": page_links(page, []),
    }
    return render(request, "backoffice/moderation.html", context)


def parse_queue_filter(params: QueryDict, desk: Desk) -> selectors.QueueFilter:
    """Unknown or malformed values are dropped (the filter shows what was applied), never a 500."""
    user = desk.user
    department = int_or_none(params.get("department"))
    if not selectors.sees_all_departments(user):
        department = user.department_id  # type: ignore[attr-defined]
    status = params.get("status") or "working"
    if status not in selectors.STATUS_CHOICES:
        status = "working"
    assignee_raw = params.get("assignee", "")
    assignee = 0 if assignee_raw == "none" else int_or_none(assignee_raw)
    sort = params.get("sort") or "deadline"
    return selectors.QueueFilter(
        department=department,
        status=status,
        category=int_or_none(params.get("category")),
        district=int_or_none(params.get("district")),
        assignee=assignee,
        overdue=params.get("overdue") == "1",
        text=(params.get("q") or "")[:100],
        sort=sort if sort in selectors.SORTS else "deadline",
    )


def _filter_params(f: selectors.QueueFilter) -> list[tuple[str, str]]:
    pairs = [("status", f.status), ("sort", f.sort)]
    for name in ("department", "category", "district"):
        if getattr(f, name):
            pairs.append((name, str(getattr(f, name))))
    if f.assignee is not None:
        pairs.append(("assignee", "none" if f.assignee == 0 else str(f.assignee)))
    if f.overdue:
        pairs.append(("overdue", "1"))
    if f.text:
        pairs.append(("q", f.text))
    return pairs


@require_GET
@staff_view
def department_queue(request: HttpRequest, desk: Desk) -> HttpResponse:
    f = parse_queue_filter(request.GET, desk)
    paginator = Paginator(
        selectors.department_queue(desk.user, desk.municipality, f, desk.today), QUEUE_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    reports = list(page.object_list)
    returned = selectors.returned_answer_ids([r.pk for r in reports])
    rows: list[dict[str, Any]] = [
        {
            "report": r,
            "left": selectors.days_left(desk.calendar, desk.today, r.deadline)
            if r.status not in CLOSED
            else None,
            "returned": r.pk in returned,
        }
        for r in reports
    ]
    params = _filter_params(f)
    departments = list(Department.objects.filter(municipality=desk.municipality))
    staff = list(moderation.assignable_staff(f.department)) if f.department else []
    context = {
        "desk": desk,
        "city": desk.municipality,
        "f": f,
        "page": page,
        "rows": rows,
        "page_links": page_links(page, params),
        "query": urlencode([*params, ("page", str(page.number))]),
        "sees_all": selectors.sees_all_departments(desk.user),
        "department": next((d for d in departments if d.pk == f.department), None),
        "departments": departments,
        "categories": list(
            Category.objects.filter(municipality=desk.municipality, active=True).only("id", "name", "name_en")
        ),
        "districts": list(
            District.objects.filter(municipality=desk.municipality).only("id", "name", "name_en")
        ),
        "staff": staff,
        # Offered to the roles that may assign; each report is checked again when the action runs.
        "may_assign": bool(is_department_head(desk.user) or is_city_admin(desk.user)),
        "statuses": [
            ("working", _("in work (accepted, in progress, reopened, disputed)")),
            ("open", _("all open")),
            ("all", _("all")),
            *[(s.value, s.label) for s in Status],
        ],
        "sorts": [
            ("deadline", _("deadline, soonest first")),
            ("-deadline", _("deadline, latest first")),
            ("created", _("filed, oldest first")),
            ("-created", _("filed, newest first")),
            ("updated", _("changed, oldest first")),
            ("-updated", _("changed, newest first")),
        ],
        "bulk_actions": [(a, TRANSITIONS[a].label) for a in moderation.DEPARTMENT_ACTIONS if a != "transfer"],
        "templates": list(
            ResponseTemplate.objects.filter(
                municipality=desk.municipality, action__in=moderation.DEPARTMENT_ACTIONS
            )
            .select_related("category")
            .order_by("action", "title")
        ),
        "map_points": [
            {"id": r.pk, "lat": r.lat, "lon": r.lon, "overdue": row["left"] is not None and row["left"] < 0}
            for row, r in zip(rows, reports, strict=True)
        ],
        "map_config": {
            "center": [desk.municipality.center_lat, desk.municipality.center_lon],
            "zoom": desk.municipality.default_zoom,
            "tiles": settings.GOROD_TILE_URL,
            "attribution": settings.GOROD_TILE_ATTRIBUTION,
            "reportUrl": reverse("backoffice:report", args=[0]),
            "districts": reverse("reports-districts"),
            "label": _("Report #%(id)s"),
        },
    }
    return render(request, "backoffice/queue.html", context)


# --- bulk actions ---------------------------------------------------------------------------------------
MAX_BULK = 200


@require_POST
@staff_view
def bulk(request: HttpRequest, desk: Desk) -> HttpResponse:
    """One change for the selected rows, each report checked on its own; the outcome of each is listed."""
    ids = [pk for pk in (int_or_none(v) for v in request.POST.getlist("ids")[:MAX_BULK]) if pk is not None]
    op = request.POST.get("op", "")
    found = {
        r.pk: r
        for r in selectors.visible_reports(desk.user, desk.municipality)
        .filter(pk__in=ids)
        .select_related("category", "department")
    }
    outcomes: list[moderation.BulkOutcome] = []
    for pk in ids:
        if pk not in found:
            log_refusal(request, f"bulk:{op}", pk, "not visible")
            outcomes.append(moderation.BulkOutcome(pk, False, _("There is no such report in your queue.")))
    reports = [found[pk] for pk in ids if pk in found]
    apply = _bulk_operation(request, desk, op)
    if apply is None or not ids:
        return render(
            request,
            "backoffice/bulk_result.html",
            {
                "desk": desk,
                "city": desk.municipality,
                "error": _("Choose reports and an action."),
                "outcomes": [],
            },
            status=400,
        )
    outcomes += moderation.bulk_apply(reports=reports, actor=desk.user, apply=apply)
    for outcome in outcomes:
        if not outcome.ok:
            log_refusal(request, f"bulk:{op}", outcome.report_id, "refused")
    return render(
        request,
        "backoffice/bulk_result.html",
        {
            "desk": desk,
            "city": desk.municipality,
            "outcomes": sorted(outcomes, key=lambda o: ids.index(o.report_id) if o.report_id in ids else 0),
            "done": sum(o.ok for o in outcomes),
            "back": request.POST.get("next", "")
            if request.POST.get("next", "").startswith("/backoffice/")
            else reverse("backoffice:queue"),
        },
    )


def _bulk_operation(request: HttpRequest, desk: Desk, op: str):
    user = desk.user
    if op == "assign":
        raw = request.POST.get("assignee", "")
        assignee = (
            None if raw == "none" else get_user_model().objects.filter(pk=int_or_none(raw) or 0).first()
        )
        if assignee is None and raw != "none":
            return None
        return lambda report: moderation.report_assign(report=report, actor=user, assignee=assignee)
    if op == "act":
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
                report=report, actor=user, action=action, public_note=text, private_note=private
            )

        return act
    return None
