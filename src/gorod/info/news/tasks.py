"""django-tasks task of news, on the worker's timetable (GOROD_PERIODIC_JOBS); idempotent."""

from django_tasks import task

from gorod.info.news.services import announce_due


@task()
def announce() -> int:
    """Mail subscribers about news and works whose publication time has come."""
    return announce_due()
