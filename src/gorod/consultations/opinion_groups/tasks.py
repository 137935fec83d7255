"""The worker's part of opinion groups: recompute the groups of every module whose votes changed.
Enqueued (debounced) by each vote, and on the timetable (settings.GOROD_PERIODIC_JOBS) as a safety net
for a lost wake-up; idempotent, so running it late or twice changes nothing more."""

from __future__ import annotations

from django_tasks import task

from gorod.consultations.opinion_groups import services


@task()
def recompute_requested() -> int:
    return services.recompute_requested()
