"""History rows. Every status change and every notable edit of a report writes one, in the same
transaction as the change."""

from __future__ import annotations

from gorod.core import clock
from gorod.notifications import fanout
from gorod.reports.models import Report, ReportEvent


def record(
    *,
    report: Report,
    action: str,
    from_status: str,
    to_status: str,
    actor=None,
    public_note: str = "",
    private_note: str = "",
    department_id: int | None = None,
    note_state: str = ReportEvent.NoteState.PUBLISHED,
    changes: dict | None = None,
) -> ReportEvent:
    event = ReportEvent.objects.create(
        report=report,
        at=clock.now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        public_note=public_note,
        private_note=private_note,
        department_id=department_id,
        note_state=note_state,
        changes=changes or {},
    )
    # The outbox: mails, webhooks and outbound sends this event causes, in this same transaction.
    fanout.on_event(event)
    return event
