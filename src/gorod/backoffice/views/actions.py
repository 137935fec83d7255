"""What each action form of a report's page posts, parsed and handed to one function of
reports.services.moderation. A handler returns the message to show when it is done; a refusal raises."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gorod.backoffice.selectors.desk import Desk, visible_reports
from gorod.backoffice.views.common import float_or_none, int_or_none
from gorod.city.models import Category, Department, RejectionReason
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.services import ReportInvalid, ReportNotFound, moderation
from gorod.reports.workflow import TRANSITIONS


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
                city = desk.municipality  # the example is a place of this city
                raise ReportInvalid(
                    _("Coordinates must be numbers, like %(lat)s and %(lon)s.")
                    % {"lat": round(city.center_lat, 2), "lon": round(city.center_lon, 2)}
                )
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
    # Whatever is typed wins over a picked suggestion. A page cached from before the number box had a
    # name of its own posts both as "original", the empty box last: the non-empty one counts.
    typed = (request.POST.get("original_number") or "").strip()
    picked = next((v.strip() for v in request.POST.getlist("original") if v.strip()), "")
    number = int_or_none((typed or picked).lstrip("#№"))
    original = visible_reports(desk.user, desk.municipality).filter(pk=number).first() if number else None
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
