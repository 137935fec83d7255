"""The only way a report's status changes: one action of workflow.TRANSITIONS, checked against the
report's present status under a row lock, with its event written in the same transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gorod.city.models import Department
from gorod.core import clock
from gorod.reports import events, photo_store
from gorod.reports.models import Report, ReportEvent
from gorod.reports.services.deadlines import confirmation_due, working_days_from_today
from gorod.reports.services.errors import ReportConflict, ReportInvalid
from gorod.reports.workflow import TRANSITIONS, Status, target_of

# Statuses whose public reason (report.status_reason) is the public note of the action that led there.
REASONED = (Status.REJECTED, Status.DISPUTED, Status.RESOLVED)


def report_transition(
    *,
    report: Report,
    action: str,
    actor=None,
    public_note: str = "",
    private_note: str = "",
    duplicate_of: Report | None = None,
    department: Department | None = None,
    note_state: str = ReportEvent.NoteState.PUBLISHED,
    changes: dict | None = None,
) -> Report:
    """Apply one workflow action, writing its event. Raises ReportConflict for a status the action does
    not start from, ReportInvalid for an unknown action or a missing reason or target.

    `note_state` PENDING holds the public note back for answer moderation; `changes` records edits
    made together with the action (accept with a corrected category, say) in the event."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ReportInvalid(_("Unknown action."))
    public_note, private_note = (public_note or "").strip(), (private_note or "").strip()
    published = note_state == ReportEvent.NoteState.PUBLISHED
    with transaction.atomic():
        # Lock the row so two moderators cannot both move the same report out of one state.
        report = Report.objects.select_for_update().get(pk=report.pk)
        current = Status(report.status)
        if current not in transition.sources:
            raise ReportConflict(
                _("A report that is “%(status)s” cannot be moved by “%(action)s”.")
                % {"status": current.label, "action": transition.label}
            )
        if transition.needs_reason and not public_note:
            raise ReportInvalid(_("Say why, in a public note."))
        if transition.needs_duplicate_of:
            report.duplicate_of = _original_of(report, duplicate_of)
        if transition.needs_department:
            _move_to(report, department)
        target = target_of(transition, current)
        report.status = target
        if transition.needs_reason and target in REASONED and published:
            report.status_reason = public_note
        report.closed_at = clock.now() if not target.is_open else None
        if target == Status.RESOLVED and published:
            report.confirm_due = confirmation_due(report)
        elif target != Status.CONFIRMED:
            report.confirm_due = None
        report.save()
        if {current, target} & photo_store.STATUSES_THAT_MATTER:
            # Rejected, or out of "submitted": its photos may have to leave or join the public tree.
            photo_store.mark(report_ids=[report.pk])
        events.record(
            report=report,
            action=action,
            from_status=current,
            to_status=target,
            actor=actor,
            public_note=public_note,
            private_note=private_note,
            department_id=report.department_id,
            note_state=note_state,
            changes=changes or {},
        )
    return report


def _original_of(report: Report, duplicate_of: Report | None) -> Report:
    """The original at the head of a chain of duplicates, so "follow that one instead" never leads in a
    circle."""
    seen: set[int] = set()
    while duplicate_of is not None and duplicate_of.pk not in seen:
        seen.add(duplicate_of.pk)
        fresh = Report.objects.filter(pk=duplicate_of.pk).only("duplicate_of").first()
        if fresh is None or fresh.duplicate_of_id is None:
            break
        duplicate_of = Report.objects.get(pk=fresh.duplicate_of_id)
    if duplicate_of is None or duplicate_of.pk == report.pk:
        raise ReportInvalid(_("Name the report this one duplicates."))
    if duplicate_of.municipality_id != report.municipality_id:
        raise ReportInvalid(_("The original report must be in the same city."))
    return duplicate_of


def _move_to(report: Report, department: Department | None) -> None:
    if department is None or department.pk == report.department_id:
        raise ReportInvalid(_("Choose another department."))
    if department.municipality_id != report.municipality_id:
        raise ReportInvalid(_("The department must be in the same city."))
    report.department = department
    if settings.GOROD_TRANSFER_RESTARTS_DEADLINE:
        report.deadline = working_days_from_today(report, report.category.deadline_days)
