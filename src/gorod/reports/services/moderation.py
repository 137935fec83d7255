"""Staff writes on reports: moderation, department work and answer moderation. The back office changes
reports only through these functions; every status change goes through transition.report_transition.

Each function checks the actor's permission (`reports.<perm>`, django-rules) on the report itself, so a
forged form post cannot do what the page would not have offered: ReportForbidden (Django's
PermissionDenied) for a right the actor lacks, ReportInvalid for input and ReportConflict for a state
that does not allow the change (errors.py). Either way nothing is written.

Publishing a held answer writes a "publish_answer" event pointing at the answer's event; the apps that
react to events (notifications) tell the citizen from it, as if the answer had just been given."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gorod.city import selectors as city_selectors
from gorod.city.districts import district_for_report
from gorod.city.models import Category, Department, RejectionReason, ResponseTemplate
from gorod.core import audit, geo
from gorod.reports import events, photo_store
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.services.common import (
    MAX_NOTE,
    clean_photos,
    clean_text,
    locked,
    photo_files,
    require,
    save_photo,
)
from gorod.reports.services.create import MAX_ADDRESS, MAX_DESCRIPTION
from gorod.reports.services.deadlines import compute_deadlines, confirmation_due
from gorod.reports.services.errors import ReportConflict, ReportInvalid, ReportNotFound, ReportRefused
from gorod.reports.services.transition import REASONED, report_transition
from gorod.reports.workflow import CLOSED, Status

logger = logging.getLogger("gorod.backoffice")

# The workflow actions a department takes from the back office (moderators have their own functions).
DEPARTMENT_ACTIONS = ("start", "resolve", "transfer", "reopen")
STAFF_ROLES_OF_DEPARTMENT = ("executor", "department_head")


def _unchanged_status(report: Report, action: str, actor, **fields) -> ReportEvent:
    """The event of a change that leaves the status as it is: an edit, an assignment, a note, an answer
    or its moderation. It names the report's department unless told otherwise."""
    fields.setdefault("department_id", report.department_id)
    return events.record(
        report=report,
        action=action,
        from_status=report.status,
        to_status=report.status,
        actor=actor,
        **fields,
    )


# --- moderation of new reports ----------------------------------------------------------------------
@dataclasses.dataclass
class Corrections:
    """What a moderator fixes on acceptance; None leaves a value as it is."""

    category: Category | None = None
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    description: str | None = None


def report_accept(
    *,
    report: Report,
    actor,
    corrections: Corrections | None = None,
    public_note: str = "",
    private_note: str = "",
) -> Report:
    """Accept a new report, fixing its category, place or text on the way. A new place or category is
    routed again exactly as report_create routes (district by polygon, department by routing rule) and
    a new category brings its own deadlines; the old values stay in the event's `changes`."""
    require(actor, "reports.accept", report)
    fix = corrections or Corrections()
    with transaction.atomic():
        report = locked(report)
        if report.status != Status.SUBMITTED:
            raise ReportConflict(_("This report has already been moderated."))
        updates, changes = _corrections(report, fix)
        if updates:
            require(actor, "reports.edit_content", report)
            Report.objects.filter(pk=report.pk).update(**updates)
        return report_transition(
            report=report,
            action="accept",
            actor=actor,
            public_note=clean_text(public_note, limit=MAX_NOTE, label=_("Public note")),
            private_note=clean_text(private_note, limit=MAX_NOTE, label=_("Private note")),
            changes=changes,
        )


class _Edit:
    """Column updates and the event's `changes` ({"field": [old, new]}, in the order made: the back office
    shows them so)."""

    def __init__(self) -> None:
        self.updates: dict[str, Any] = {}
        self.changes: dict[str, list] = {}

    def change(self, name: str, old, new, *, column: str = "", value=None) -> None:
        """Record `name` changing from `old` to `new`; the row gets `value` (default `new`) in `column`
        (default `name`)."""
        self.changes[name] = [old, new]
        self.updates[column or name] = new if value is None else value


def _corrections(report: Report, fix: Corrections) -> tuple[dict[str, Any], dict[str, list]]:
    edit = _Edit()
    category = _recategorise(edit, report, fix.category)
    district_id = _move(edit, report, fix.lat, fix.lon)
    if fix.address is not None:
        address = clean_text(fix.address, limit=MAX_ADDRESS, label=_("Address"))
        if address != report.address:
            edit.change("address", report.address, address)
    if fix.description is not None:
        description = clean_text(
            fix.description,
            limit=MAX_DESCRIPTION,
            label=_("Description"),
            required=_("The description cannot be empty."),
        )
        if description != report.description:
            edit.change("description", report.description, description)
    if "category" in edit.changes or "district" in edit.changes:
        department_id = city_selectors.department_id_for(
            municipality_id=report.municipality_id, category_id=category.pk, district_id=district_id
        )
        if department_id != report.department_id:
            edit.change("department", report.department_id, department_id, column="department_id")
    return edit.updates, edit.changes


def _recategorise(edit: _Edit, report: Report, category: Category | None) -> Category:
    """The report's category after the fix; a new one brings its own deadlines."""
    if category is None or category.pk == report.category_id:
        return report.category
    if category.municipality_id != report.municipality_id or not category.active:
        raise ReportInvalid(_("Choose an active category of this city."))
    edit.change("category", report.category_id, category.pk, value=category)
    deadlines = compute_deadlines(category=category, municipality=report.municipality, at=report.created)
    for name in ("moderation_due", "deadline"):
        old, new = getattr(report, name), getattr(deadlines, name)
        if old != new:
            edit.change(name, old.isoformat(), new.isoformat(), value=new)
    return category


def _move(edit: _Edit, report: Report, lat: float | None, lon: float | None) -> int | None:
    """The report's district after the fix (placed exactly as report_create places)."""
    if (lat is None) != (lon is None):
        raise ReportInvalid(_("Give both the latitude and the longitude."))
    if lat is None or lon is None:
        return report.district_id
    lat, lon = round(float(lat), 6), round(float(lon), 6)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ReportInvalid(_("Coordinates are out of range."))
    if (lat, lon) == (round(report.lat, 6), round(report.lon, 6)):
        return report.district_id
    district_id = district_for_report(report.municipality_id, lat, lon)
    if district_id is None:
        raise ReportInvalid(_("This place is outside %(city)s.") % {"city": report.municipality.label})
    edit.change("lat", report.lat, lat)
    edit.change("lon", report.lon, lon)
    edit.updates["h3"] = geo.cell_of(lat, lon)
    if district_id != report.district_id:
        edit.change("district", report.district_id, district_id, column="district_id")
    return district_id


def report_reject(
    *, report: Report, actor, reason: RejectionReason | None, text: str = "", private_note: str = ""
) -> Report:
    """Reject with a reason from the city's list; its text and the free text are the public note the
    citizen is told."""
    require(actor, "reports.reject", report)
    if reason is None or reason.municipality_id != report.municipality_id:
        raise ReportInvalid(_("Choose a reason from the list."))
    extra = clean_text(text, limit=3000, label=_("Explanation"))
    public_note = reason.name + (f"\n\n{extra}" if extra else "")
    return report_transition(
        report=report,
        action="reject",
        actor=actor,
        public_note=public_note,
        private_note=clean_text(private_note, limit=MAX_NOTE, label=_("Private note")),
        changes={"rejection_reason": ["", reason.code]},
    )


def report_mark_duplicate(
    *, report: Report, actor, original: Report | None, public_note: str = "", private_note: str = ""
) -> Report:
    require(actor, "reports.mark_duplicate", report)
    if original is None:
        raise ReportNotFound(_("There is no report with this number."))
    note = clean_text(public_note, limit=MAX_NOTE, label=_("Public note")) or _(
        "The same problem was already reported as #%(id)s; follow that report."
    ) % {"id": original.pk}
    return report_transition(
        report=report,
        action="mark_duplicate",
        actor=actor,
        public_note=note,
        private_note=clean_text(private_note, limit=MAX_NOTE, label=_("Private note")),
        duplicate_of=original,
    )


def report_hide_personal_data(
    *,
    report: Report,
    actor,
    hide_name: bool = False,
    description: str | None = None,
    address: str | None = None,
    private_note: str = "",
) -> Report:
    """Stop showing the author's name and/or replace the text with a redacted one. The original text is
    kept only in this event's `changes`, which only the back office shows."""
    require(actor, "reports.hide_content", report)
    with transaction.atomic():
        report = locked(report)
        edit = _Edit()
        if hide_name and report.show_name:
            edit.change("show_name", True, False)
        if description is not None:
            text = clean_text(
                description,
                limit=MAX_DESCRIPTION,
                label=_("Description"),
                required=_("The description cannot be empty."),
            )
            if text != report.description:
                edit.change("description", report.description, text)
        if address is not None:
            text = clean_text(address, limit=MAX_ADDRESS, label=_("Address"))
            if text != report.address:
                edit.change("address", report.address, text)
        if not edit.updates:
            raise ReportInvalid(_("Nothing to change."))
        Report.objects.filter(pk=report.pk).update(**edit.updates)
        _unchanged_status(
            report,
            "hide_personal_data",
            actor,
            private_note=clean_text(private_note, limit=MAX_NOTE, label=_("Private note")),
            changes=edit.changes,
        )
        report.refresh_from_db()
    return report


def photo_set_hidden(*, photo: Photo, actor, hidden: bool) -> Photo:
    """Hide a photo from the public (a face, a car number) or show it again; staff still see it. A hidden
    photo's file moves out of the published media tree, so its old /media/ URL stops working."""
    report = photo.report
    require(actor, "reports.hide_content", report)
    with transaction.atomic():
        report = locked(report)
        photo = Photo.objects.select_for_update().get(pk=photo.pk, report=report)
        if photo.hidden == hidden:
            raise ReportConflict(_("The photo is already hidden.") if hidden else _("The photo is shown."))
        Photo.objects.filter(pk=photo.pk).update(hidden=hidden)
        # The file leaves the published tree (or returns) once this commits (photo_store).
        photo_store.mark(report_ids=[report.pk])
        _unchanged_status(
            report,
            "hide_photo" if hidden else "show_photo",
            actor,
            changes={f"photo:{photo.pk}:hidden": [photo.hidden, hidden]},
        )
        # A fresh read, not refresh_from_db: that would re-measure the image from a file now moving.
        photo = Photo.objects.get(pk=photo.pk)
    return photo


def contacts_reveal(*, report: Report, actor) -> None:
    """A staff member asks to see the author's contact details. Allowed by `reports.view_contacts`; the
    look itself is written to the audit trail, because seeing them is the access that matters."""
    require(actor, "reports.view_contacts", report)
    audit.record(action="report.contacts_viewed", actor=actor, object_type="report", object_id=report.pk)


# --- department work ----------------------------------------------------------------------------------
def assignable_staff(department_id: int | None):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(department_id=department_id, role__in=STAFF_ROLES_OF_DEPARTMENT, is_active=True)
        .order_by("last_name", "first_name", "username")
        if department_id
        else get_user_model().objects.none()
    )


def report_assign(*, report: Report, actor, assignee) -> Report:
    """Give an open report to a staff member of its department (None: nobody)."""
    require(actor, "reports.assign", report)
    with transaction.atomic():
        report = locked(report)
        if Status(report.status) in CLOSED:
            raise ReportConflict(_("A closed report cannot be assigned."))
        if (
            assignee is not None
            and not assignable_staff(report.department_id).filter(pk=assignee.pk).exists()
        ):
            raise ReportInvalid(_("Choose a staff member of the report's department."))
        new_id = assignee.pk if assignee is not None else None
        if new_id == report.assignee_id:
            raise ReportConflict(_("The report is already assigned so."))
        Report.objects.filter(pk=report.pk).update(assignee_id=new_id)
        _unchanged_status(
            report,
            "assign",
            actor,
            changes={"assignee": [report.assignee_id, new_id]},
        )
        report.assignee_id = new_id
    return report


def report_act(
    *,
    report: Report,
    actor,
    action: str,
    public_note: str = "",
    private_note: str = "",
    department: Department | None = None,
    proof_photos: Sequence[bytes] = (),
) -> Report:
    """A department's status change (start, resolve, transfer, reopen). Resolving needs a photo of the
    fix where the category asks for one (cleaned like a citizen's upload). Where the category has
    answer moderation, the public note waits for a moderator (note_state "pending") and is not the
    report's public reason until published."""
    if action not in DEPARTMENT_ACTIONS:
        raise ReportInvalid(_("Unknown action."))
    require(actor, f"reports.{action}", report)
    cleaned, problems = clean_photos(proof_photos)
    if problems:
        raise ReportInvalid(problems[0])
    note = clean_text(public_note, limit=MAX_NOTE, label=_("Public answer"))
    category = report.category
    if action == "resolve" and category.photo_proof_required and not cleaned:
        raise ReportInvalid(_("This category needs a photo of the fix: attach one."))
    held = bool(note) and category.answer_moderation and not actor.has_perm("reports.moderate_answer", report)
    with photo_files() as saved, transaction.atomic():
        report = report_transition(
            report=report,
            action=action,
            actor=actor,
            public_note=note,
            private_note=clean_text(private_note, limit=MAX_NOTE, label=_("Private note")),
            department=department,
            note_state=ReportEvent.NoteState.PENDING if held else ReportEvent.NoteState.PUBLISHED,
        )
        if held and report.status_reason:
            # Not public until a moderator publishes it (answer_publish sets it then).
            Report.objects.filter(pk=report.pk).update(status_reason="")
            report.status_reason = ""
        if action == "transfer" and report.assignee_id is not None:
            Report.objects.filter(pk=report.pk).update(assignee=None)  # the new department assigns
            report.assignee_id = None
        order = Photo.objects.filter(report=report).count()
        for i, content in enumerate(cleaned):
            save_photo(report, content, saved, order=order + i, kind=Photo.Kind.PROOF)
    return report


def report_add_note(*, report: Report, actor, text: str) -> ReportEvent:
    require(actor, "reports.add_note", report)
    note = clean_text(text, limit=MAX_NOTE, label=_("Note"), required=_("Write the note."))
    return _unchanged_status(report, "note", actor, private_note=note)


# --- answer moderation -------------------------------------------------------------------------------
def _locked_event(event: ReportEvent) -> ReportEvent:
    return ReportEvent.objects.select_for_update().select_related("report").get(pk=event.pk)


def answer_publish(*, event: ReportEvent, actor, text: str | None = None) -> ReportEvent:
    """Publish a department's held answer, optionally edited (the original stays in the history of a
    `publish_answer` event, which points at the answer's event: the citizen is told from it)."""
    require(actor, "reports.moderate_answer", event.report)
    with transaction.atomic():
        locked(event.report)
        event = _locked_event(event)
        if event.note_state != ReportEvent.NoteState.PENDING:
            raise ReportConflict(_("This answer is no longer waiting for moderation."))
        original = event.public_note
        final = original if text is None else clean_text(text, limit=MAX_NOTE, label=_("Public answer"))
        if not final:
            raise ReportInvalid(_("The answer cannot be empty; send it back instead."))
        ReportEvent.objects.filter(pk=event.pk).update(
            public_note=final, note_state=ReportEvent.NoteState.PUBLISHED
        )
        report = event.report
        if report.status in REASONED and event.to_status == report.status:
            # The answer belongs to the report's present status: it is now its public reason.
            Report.objects.filter(pk=report.pk).update(status_reason=final)
        if report.status == Status.RESOLVED and event.to_status == Status.RESOLVED:
            report.confirm_due = confirmation_due(report)  # the window opens when the answer is seen
            Report.objects.filter(pk=report.pk).update(confirm_due=report.confirm_due)
        _unchanged_status(
            report,
            "publish_answer",
            actor,
            department_id=event.department_id,
            changes={"public_note": [original, final]} if final != original else {},
            published_event=event,
        )
        event.public_note, event.note_state = final, ReportEvent.NoteState.PUBLISHED
    return event


def answer_send_back(*, event: ReportEvent, actor, reason: str) -> ReportEvent:
    """Withdraw a held answer; the department is told why (privately) and may answer again."""
    require(actor, "reports.moderate_answer", event.report)
    why = clean_text(
        reason, limit=2000, label=_("Reason"), required=_("Tell the department why the answer is sent back.")
    )
    with transaction.atomic():
        locked(event.report)
        event = _locked_event(event)
        if event.note_state != ReportEvent.NoteState.PENDING:
            raise ReportConflict(_("This answer is no longer waiting for moderation."))
        ReportEvent.objects.filter(pk=event.pk).update(note_state=ReportEvent.NoteState.WITHDRAWN)
        report = event.report
        _unchanged_status(
            report,
            "return_answer",
            actor,
            private_note=why,
            department_id=event.department_id,
        )
        event.note_state = ReportEvent.NoteState.WITHDRAWN
    return event


# Events whose public note is not a department's answer: the author's text and the publication of a held one.
NOT_ANSWERS = ("submit", "publish_answer")


def returned_answer(report: Report) -> ReportEvent | None:
    """The department's last answer if a moderator sent it back and none has followed it."""
    last = (
        ReportEvent.objects.filter(report=report)
        .exclude(public_note="")
        .exclude(action__in=NOT_ANSWERS)
        .order_by("-at", "-id")
        .first()
    )
    return last if last is not None and last.note_state == ReportEvent.NoteState.WITHDRAWN else None


def answer_resubmit(*, report: Report, actor, text: str) -> ReportEvent:
    """The department answers again after its answer was sent back; it waits for moderation again, unless
    the category has none or the actor may publish answers: then it is public at once."""
    with transaction.atomic():
        report = locked(report)
        returned = returned_answer(report)
        if returned is None:
            raise ReportConflict(_("No answer of this report was sent back."))
        require(
            actor, f"reports.{returned.action}" if returned.action != "answer" else "reports.resolve", report
        )
        note = clean_text(text, limit=MAX_NOTE, label=_("Public answer"), required=_("Write the answer."))
        held = report.category.answer_moderation and not actor.has_perm("reports.moderate_answer", report)
        event = _unchanged_status(
            report,
            "answer",
            actor,
            public_note=note,
            note_state=ReportEvent.NoteState.PENDING if held else ReportEvent.NoteState.PUBLISHED,
        )
        if not held and report.status in REASONED:
            Report.objects.filter(pk=report.pk).update(status_reason=note)
    return event


# --- response templates -------------------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"\{(id|category|address|deadline|department)\}")


def fill_template(text: str, report: Report) -> str:
    """Fill the known placeholders with plain text. Anything else in braces stays as written: this is
    not str.format, so a template cannot reach attributes or format specs, and the result is escaped
    wherever it is shown like any other note."""
    from django.utils import formats

    values = {
        "id": str(report.pk),
        "category": report.category.label if report.category_id else "",
        "address": report.address or f"{report.lat:.5f}, {report.lon:.5f}",
        "deadline": formats.date_format(report.deadline, "DATE_FORMAT") if report.deadline else "",
        "department": report.department.label if report.department_id and report.department else "",
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def templates_for(report: Report, action: str | None = None):
    qs = ResponseTemplate.objects.filter(municipality_id=report.municipality_id).filter(
        Q(category=None) | Q(category_id=report.category_id)
    )
    return qs.filter(action=action) if action else qs


# --- bulk ---------------------------------------------------------------------------------------------
@dataclasses.dataclass
class BulkOutcome:
    report_id: int
    ok: bool
    message: str


def bulk_apply(*, reports: Sequence[Report], actor, apply: Callable[[Report], Any]) -> list[BulkOutcome]:
    """Apply one change to each report on its own: each is checked for permission and workflow
    separately, and one refusal does not undo or stop the others."""
    outcomes = []
    for report in reports:
        try:
            with transaction.atomic():
                apply(report)
        except PermissionDenied:
            logger.warning(
                "bulk refused: user %s may not act on report %s", getattr(actor, "pk", None), report.pk
            )
            outcomes.append(BulkOutcome(report.pk, False, _("You may not do this to this report.")))
        except ReportRefused as exc:
            outcomes.append(BulkOutcome(report.pk, False, " ".join(exc.messages)))
        else:
            outcomes.append(BulkOutcome(report.pk, True, _("Done.")))
    return outcomes
