"""Background jobs of the back office (the worker runs them on its timetable, GOROD_PERIODIC_JOBS)."""

from __future__ import annotations

from django_tasks import task

from gorod.backoffice.escalation import escalate_all


@task()
def escalate_overdue() -> int:
    """The daily overdue list for department heads; safe to run more often (idempotent per day)."""
    return escalate_all()
