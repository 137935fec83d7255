"""django-tasks tasks of privacy, on the worker's timetable (GOROD_PERIODIC_JOBS); idempotent."""

from __future__ import annotations

from django_tasks import task

from gorod.core import audit
from gorod.privacy import retention


@task()
def purge_expired_contacts() -> int:
    """Daily: reports' contact details past their city's retention time (privacy.retention)."""
    with audit.origin("worker"):
        return retention.purge_expired_contacts()
