"""History rows. Every status change and every notable edit of a report writes one, in the same
transaction as the change — and that is all this module does.

An event is also news for the apps above reports (notifications mails, webhooks, outbound Open311):
each is written undispatched (`dispatched=False`, under a partial index), and those apps take the
undispatched ones, derive what they send, and mark them dispatched in one transaction of their own. A
change that rolls back takes its event with it, so nothing is ever sent about it; reports itself never
calls upward (no module of gorod.reports imports gorod.notifications).

A moderation decision by a staff member (MODERATION_DECISIONS) is also appended to the audit trail
(core.audit), in the same transaction: every decision has exactly one history row and one audit entry."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from gorod.core import audit, clock
from gorod.reports.models import Report, ReportEvent

# What the moderation centre decides about a report: the audit trail's "moderation decisions".
MODERATION_DECISIONS = frozenset(
    {
        "accept",
        "reject",
        "mark_duplicate",
        "hide_personal_data",
        "hide_photo",
        "show_photo",
        "publish_answer",
        "return_answer",
    }
)


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
    published_event: ReportEvent | None = None,
) -> ReportEvent:
    """Write one event, undispatched. `published_event`: the held answer a "publish_answer" event made
    public, so the citizen can be told about that answer now."""
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
        published_event=published_event,
    )
    if actor is not None and action in MODERATION_DECISIONS:
        audit.record(
            action=f"report.{action}",
            actor=actor,
            object_type="report",
            object_id=report.pk,
            detail={"event": event.pk, "from": from_status, "to": to_status},
        )
    return event


def undispatched() -> QuerySet[ReportEvent]:
    """Events no reacting app has taken yet, oldest first (served by the partial index)."""
    return ReportEvent.objects.filter(dispatched=False).order_by("pk")


def any_undispatched() -> bool:
    """One indexed EXISTS: cheap enough to ask every second."""
    return ReportEvent.objects.filter(dispatched=False).exists()


def mark_dispatched(ids: Sequence[int]) -> int:
    """Call in the transaction that wrote what the events cause, so both commit or neither does."""
    return ReportEvent.objects.filter(pk__in=ids, dispatched=False).update(dispatched=True)
