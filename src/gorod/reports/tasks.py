"""django-tasks tasks of reports, on the worker's timetable (GOROD_PERIODIC_JOBS); all idempotent."""

from __future__ import annotations

from django_tasks import task

from gorod.reports import held_photos
from gorod.reports.services.feedback import confirm_overdue


@task()
def auto_confirm_due() -> int:
    """Daily (run hourly by the worker's timetable; only overdue windows are acted on)."""
    return confirm_overdue()


@task()
def purge_held_photos() -> int:
    """Photos kept for report forms that came back with an error, once their time is over."""
    return held_photos.purge_expired()
