"""django-tasks tasks of analytics, on the worker's timetable (GOROD_PERIODIC_JOBS); idempotent."""

from __future__ import annotations

from django_tasks import task

from gorod.analytics.opendata.generate import generate_all
from gorod.analytics.stats import rollup
from gorod.city.models import Municipality


@task()
def regenerate_open_data() -> dict[str, int]:
    """Daily: every municipality's open-data files, rewritten whole (same data, same files)."""
    return generate_all()


@task()
def demand_reports() -> int:
    """Hourly, doing work once a month: the demand report of each city's month just ended (docs/demand.md)."""
    from gorod.analytics.demand.services import store_due_reports

    return store_due_reports()


@task()
def roll_up_stats() -> dict[str, int]:
    """The dashboards' daily rollups: each municipality's finished days not rolled up yet (and the last
    couple again); rows written per municipality. Running it more often only re-rolls the same days."""
    return {m.slug: rollup.roll_due(municipality=m) for m in Municipality.objects.order_by("slug")}
