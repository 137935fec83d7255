"""django-tasks tasks of analytics, on the worker's timetable (GOROD_PERIODIC_JOBS); idempotent."""

from __future__ import annotations

from django_tasks import task

from gorod.analytics.opendata.generate import generate_all


@task()
def regenerate_open_data() -> dict[str, int]:
    """Daily: every municipality's open-data files, rewritten whole (same data, same files)."""
    return generate_all()
