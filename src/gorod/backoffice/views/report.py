"""A report in the back office: its whole history (private notes and edits included), contact details
for those allowed, every photo, and the forms of the actions this user may take in this state. Each
POST names one action; the view parses it and calls one function of reports.services.moderation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
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
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from gorod.backoffice import selectors
from gorod.backoffice.views.common import (
    EVENT_TITLES,
    Desk,
    back_to,
    float_or_none,
    int_or_none,
    log_refusal,
    staff_view,
)
from gorod.city.models import Category, Department, District, RejectionReason
from gorod.core.images import PhotoLimits
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.selectors import nearby_open_duplicates
from gorod.reports.services import ReportInvalid, ReportNotFound, ReportRefused, moderation
from gorod.reports.workflow import TRANSITIONS, Status, allowed_actions

MODERATION_ACTIONS = ("accept", "reject", "mark_duplicate")
FIELD_LABELS = {
    "category": _("category"),
    "district": _("district"),
    "department": _("department"),
    "lat": _("latitude"),
    "lon": _("longitude"),
    "address": _("address"),
    "description": _("description"),
    "moderation_due": _("moderation due"),
    "deadline": _("deadline"),
    "show_name": _("name shown publicly"),
    "assignee": _("assigned to"),
    "public_note": _("public answer"),
    "rejection_reason": _("rejection reason"),
}


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@require_GET
@staff_view
def report_detail(request: HttpRequest, desk: Desk, pk: int) -> HttpResponse:
    return _render_detail(request, desk, pk)


def _render_detail(
    request: HttpRequest, desk: Desk, pk: int, *, error: str = "", status: int = 200
) -> HttpResponse:
    report = selectors.report_for_staff(desk.user, desk.municipality, pk)
    if report is None:
        raise Http404(_("There is no report with this number in your queues."))
    user = desk.user
    may = {
        name: user.has_perm(f"reports.{name}", report)  # type: ignore[attr-defined]
        for name in ("view_contacts", "edit_content", "hide_content", "moderate_answer", "add_note", "assign")
    }
    actions = [t for t in allowed_actions(report.status) if user.has_perm(f"reports.{t.action}", report)]  # type: ignore[attr-defined]
    moderation_actions = [t.action for t in actions if t.action in MODERATION_ACTIONS]
    department_actions = [t for t in actions if t.action in moderation.DEPARTMENT_ACTIONS]
    events = list(report.events.all())
    categories = list(
        Category.objects.filter(municipality=desk.municipality).only("id", "name", "name_en", "active")
    )
    departments = list(Department.objects.filter(municipality=desk.municipality))
    districts = {
        d.pk: d.label
        for d in District.objects.filter(municipality=desk.municipality).only("id", "name", "name_en")
    }
    templates = list(
        moderation.templates_for(report)
        .filter(action__in=moderation.DEPARTMENT_ACTIONS)
        .order_by("action", "title")
    )
    returned = moderation.returned_answer(report)
    names = {
        "category": {c.pk: c.label for c in categories},
        "department": {d.pk: d.label for d in departments},
        "district": districts,
    }
    assignees = _assignee_labels(events)
    context = {
        "desk": desk,
        "city": desk.municipality,
        "report": report,
        "status": Status(report.status),
        "may": may,
        "error": error,
        "posted": request.POST if request.method == "POST" else {},
        "moderation_actions": moderation_actions,
        "department_actions": department_actions,
        "moderation_left": selectors.days_left(desk.calendar, desk.today, report.moderation_due)
        if report.status == Status.SUBMITTED
        else None,
        "deadline_left": selectors.days_left(desk.calendar, desk.today, report.deadline)
        if report.is_open
        else None,
        "history": [_history_line(e, names, assignees) for e in events],
        "photos": list(report.photos.all()),
        "pending": [e for e in events if e.note_state == ReportEvent.NoteState.PENDING],
        "returned": returned,
        "categories": [c for c in categories if c.active],
        "departments": [d for d in departments if d.pk != report.department_id],
        "reasons": list(RejectionReason.objects.filter(municipality=desk.municipality)),
        "duplicates": [
            r
            for r in nearby_open_duplicates(category=report.category, lat=report.lat, lon=report.lon, limit=6)
            if r.pk != report.pk
        ][:5]
        if "mark_duplicate" in moderation_actions
        else [],
        "staff": list(moderation.assignable_staff(report.department_id)) if may["assign"] else [],
        "templates": templates,
        "template_texts": {str(t.pk): moderation.fill_template(t.text, report) for t in templates},
        "photo_required": report.category.photo_proof_required,
        "max_photos": settings.GOROD_MAX_PHOTOS,
        "max_photo_mb": settings.GOROD_PHOTO_MAX_BYTES >> 20,
        "map_config": {
            "center": [report.lat, report.lon],
            "zoom": 16,
            "tiles": settings.GOROD_TILE_URL,
            "attribution": settings.GOROD_TILE_ATTRIBUTION,
            "point": [report.lat, report.lon],
            "districts": reverse("reports-districts"),
        },
    }
    return render(request, "backoffice/report.html", context, status=status)


def _history_line(event: ReportEvent, names: dict[str, dict], assignees: dict[str, str]) -> dict:
    changes = []
    for field, pair in (event.changes or {}).items():
        if not isinstance(pair, list) or len(pair) != 2:
            continue
        old, new = pair
        if field in names:
            old, new = names[field].get(old, old), names[field].get(new, new)
        elif field == "assignee":
            old, new = _user_label(old, assignees), _user_label(new, assignees)
        elif field.startswith("photo:"):
            field_label = _("photo hidden")
            changes.append({"field": field_label, "old": _yes_no(old), "new": _yes_no(new)})
            continue
        elif isinstance(old, bool) or isinstance(new, bool):
            old, new = _yes_no(old), _yes_no(new)
        elif field in ("moderation_due", "deadline"):
            old, new = _date(old), _date(new)
        changes.append({"field": FIELD_LABELS.get(field, field), "old": old, "new": new})
    return {
        "event": event,
        "title": EVENT_TITLES.get(event.action, event.action),
        "status": Status(event.to_status).label if event.to_status in Status.values else event.to_status,
        "changed": event.from_status != event.to_status,
        "actor": _person(event.actor),
        "changes": changes,
    }


def _assignee_labels(events: list[ReportEvent]) -> dict[str, str]:
    """Names of everyone the history's assignments mention, in one query (keyed by str(pk))."""
    pks = {
        pk
        for e in events
        if isinstance(pair := (e.changes or {}).get("assignee"), list) and len(pair) == 2
        for pk in pair
        if pk not in (None, "")
    }
    if not pks:
        return {}
    return {str(u.pk): _person(u) for u in get_user_model().objects.filter(pk__in=pks)}


def _user_label(pk, labels: dict[str, str]) -> str:
    if pk in (None, ""):
        return "—"
    return labels.get(str(pk), f"#{pk}")


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


def _date(value) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)


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
    report = selectors.report_for_staff(desk.user, desk.municipality, pk)
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
    return back_to(request, reverse("backoffice:report", args=[pk]))


def _accept(request: HttpRequest, desk: Desk, report: Report) -> str:
    post = request.POST
    fix = moderation.Corrections()
    if post.get("edit") == "1":
        category_id = int_or_none(post.get("category"))
        fix.category = Category.objects.filter(pk=category_id or 0, municipality=desk.municipality).first()
        if category_id and fix.category is None:
            raise ReportInvalid(_("Choose an active category of this city."))
        lat, lon = post.get("lat", ""), post.get("lon", "")
        if lat.strip() or lon.strip():
            fix.lat, fix.lon = float_or_none(lat), float_or_none(lon)
            if fix.lat is None or fix.lon is None:
                raise ReportInvalid(_("Coordinates must be numbers, like 59.93 and 30.31."))
        fix.address = post.get("address")
        fix.description = post.get("description")
    moderation.report_accept(
        report=report,
        actor=desk.user,
        corrections=fix,
        public_note=post.get("accept_note", ""),
        private_note=post.get("accept_private", ""),
    )
    return _("Report #%(id)s accepted.") % {"id": report.pk}


def _reject(request: HttpRequest, desk: Desk, report: Report) -> str:
    reason = RejectionReason.objects.filter(
        municipality=desk.municipality, pk=int_or_none(request.POST.get("reason")) or 0
    ).first()
    moderation.report_reject(
        report=report,
        actor=desk.user,
        reason=reason,
        text=request.POST.get("reject_text", ""),
        private_note=request.POST.get("reject_private", ""),
    )
    return _("Report #%(id)s rejected; the author is told why.") % {"id": report.pk}


def _duplicate(request: HttpRequest, desk: Desk, report: Report) -> str:
    number = int_or_none((request.POST.get("original") or "").strip().lstrip("#№"))
    original = (
        selectors.visible_reports(desk.user, desk.municipality).filter(pk=number).first() if number else None
    )
    moderation.report_mark_duplicate(
        report=report,
        actor=desk.user,
        original=original,
        public_note=request.POST.get("duplicate_note", ""),
        private_note=request.POST.get("duplicate_private", ""),
    )
    return _("Report #%(id)s marked as a duplicate.") % {"id": report.pk}


def _hide(request: HttpRequest, desk: Desk, report: Report) -> str:
    post = request.POST
    moderation.report_hide_personal_data(
        report=report,
        actor=desk.user,
        hide_name=post.get("hide_name") == "1",
        description=post.get("redacted_description"),
        address=post.get("redacted_address"),
        private_note=post.get("hide_private", ""),
    )
    return _("Personal data hidden; the original is kept in the private history.")


def _photo(request: HttpRequest, desk: Desk, report: Report) -> str:
    photo = Photo.objects.filter(report=report, pk=int_or_none(request.POST.get("photo")) or 0).first()
    if photo is None:
        raise ReportNotFound(_("There is no such photo of this report."))
    hidden = request.POST.get("hidden") == "1"
    moderation.photo_set_hidden(photo=photo, actor=desk.user, hidden=hidden)
    return _("The photo is hidden from the public.") if hidden else _("The photo is shown again.")


def _act(request: HttpRequest, desk: Desk, report: Report) -> str:
    post = request.POST
    action = post.get("action", "")
    if action not in moderation.DEPARTMENT_ACTIONS:
        raise ReportInvalid(_("Choose what to do."))
    note = post.get("public_note", "")
    template = (
        moderation.templates_for(report, action).filter(pk=int_or_none(post.get("template")) or 0).first()
    )
    if template is not None and not note.strip():
        note = moderation.fill_template(template.text, report)  # without JavaScript the text is filled here
    department = None
    if action == "transfer":
        department = Department.objects.filter(
            municipality=desk.municipality, pk=int_or_none(post.get("department")) or 0
        ).first()
    try:
        photos = [f.read() for f in request.FILES.getlist("proof")]
    finally:
        for f in request.FILES.getlist("proof"):
            f.close()
    moderation.report_act(
        report=report,
        actor=desk.user,
        action=action,
        public_note=note,
        private_note=post.get("private_note", ""),
        department=department,
        proof_photos=photos,
    )
    return _("Report #%(id)s: %(action)s — done.") % {"id": report.pk, "action": TRANSITIONS[action].label}


def _assign(request: HttpRequest, desk: Desk, report: Report) -> str:
    raw = request.POST.get("assignee", "")
    assignee = None
    if raw != "none":
        assignee = get_user_model().objects.filter(pk=int_or_none(raw) or 0).first()
        if assignee is None:
            raise ReportInvalid(_("Choose a staff member of the report's department."))
    moderation.report_assign(report=report, actor=desk.user, assignee=assignee)
    return _("Assignment saved.")


def _note(request: HttpRequest, desk: Desk, report: Report) -> str:
    moderation.report_add_note(report=report, actor=desk.user, text=request.POST.get("note", ""))
    return _("Private note added.")


def _answer(request: HttpRequest, desk: Desk, report: Report) -> str:
    moderation.answer_resubmit(report=report, actor=desk.user, text=request.POST.get("answer", ""))
    return _("The new answer is saved.")


def _event_of(request: HttpRequest, report: Report) -> ReportEvent:
    event = ReportEvent.objects.filter(report=report, pk=int_or_none(request.POST.get("event")) or 0).first()
    if event is None:
        raise ReportNotFound(_("There is no such answer of this report."))
    event.report = report
    return event


def _publish(request: HttpRequest, desk: Desk, report: Report) -> str:
    text = request.POST.get("answer_text")
    moderation.answer_publish(event=_event_of(request, report), actor=desk.user, text=text)
    return _("The answer of report #%(id)s is published.") % {"id": report.pk}


def _send_back(request: HttpRequest, desk: Desk, report: Report) -> str:
    moderation.answer_send_back(
        event=_event_of(request, report), actor=desk.user, reason=request.POST.get("send_back_reason", "")
    )
    return _("The answer of report #%(id)s is sent back to the department.") % {"id": report.pk}


ACTIONS = {
    "accept": _accept,
    "reject": _reject,
    "duplicate": _duplicate,
    "hide": _hide,
    "photo": _photo,
    "act": _act,
    "assign": _assign,
    "note": _note,
    "answer": _answer,
    "publish": _publish,
    "send-back": _send_back,
}
