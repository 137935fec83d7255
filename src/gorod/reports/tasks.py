"""django-tasks tasks of reports, on the worker's timetable (GOROD_PERIODIC_JOBS); all idempotent."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from gorod.reports import held_photos, photo_store
from gorod.reports.services.feedback import confirm_overdue


@task()
def auto_confirm_due() -> int:
    """Daily (run hourly by the worker's timetable; only overdue windows are acted on)."""
    return confirm_overdue()


@task()
def settle_photos() -> int:
    """Finish the file moves a crash interrupted (reports.photo_store)."""
    return photo_store.settle()


@task()
def check_photos() -> int:
    """Recompute, for every photo, which tree it belongs in, and move what is wrong: for what changes a
    photo's visibility without a report service (a city's withholding setting, an erased author)."""
    with transaction.atomic():
        moved = photo_store.mark()
    photo_store.settle(limit=1_000_000)
    return moved


@task()
def purge_held_photos() -> int:
    """Photos kept for report forms that came back with an error, once their time is over."""
    return held_photos.purge_expired()
