"""django-tasks tasks of open311, on the worker's timetable (GOROD_PERIODIC_JOBS); idempotent."""

from __future__ import annotations

from django_tasks import task

from gorod.open311 import idempotency


@task()
def purge_idempotency_keys() -> int:
    """Forget the kept answers of idempotent POSTs older than 24 h."""
    return idempotency.purge()
