"""django-tasks tasks of text-in, on the worker's timetable (GOROD_PERIODIC_JOBS); idempotent."""

from __future__ import annotations

from django_tasks import task

from gorod.consultations.textin import retention
from gorod.core import audit


@task()
def forget_old_numbers() -> int:
    """Daily: the senders' numbers of messages older than GOROD_SMS_KEEP_NUMBERS_DAYS."""
    with audit.origin("worker"):
        return retention.forget_old_numbers()
