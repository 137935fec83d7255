"""The worker's timetable: enqueue each job of settings.GOROD_PERIODIC_JOBS when its interval has passed,
and — every tick — the fan-out of new report events, which reports records without telling anyone.

Last-enqueue times live in the database (JobRun), so a restarted worker neither repeats a job it ran a
moment ago nor forgets one it owes; the conditional update lets only one of several workers enqueue it."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gorod.notifications import tasks
from gorod.notifications.models import JobRun
from gorod.reports import events

log = logging.getLogger(__name__)


def jobs() -> list[tuple[str, int]]:
    return list(settings.GOROD_PERIODIC_JOBS)


def enqueue_due(
    now: dt.datetime | None = None, *, timetable: list[tuple[str, int]] | None = None
) -> list[str]:
    """Enqueue every job that is due; returns their paths. Real time, not core.clock: a frozen test clock
    must not stop the timetable of a running worker."""
    now = now or timezone.now()
    started = []
    for path, interval in jobs() if timetable is None else timetable:
        with transaction.atomic():
            run, created = JobRun.objects.get_or_create(name=path, defaults={"last_enqueued_at": now})
            if not created:
                if run.last_enqueued_at > now - dt.timedelta(seconds=interval):
                    continue
                # Only the worker that moves the time from the value it read enqueues the job.
                won = JobRun.objects.filter(pk=run.pk, last_enqueued_at=run.last_enqueued_at).update(
                    last_enqueued_at=now
                )
                if not won:
                    continue
            import_string(path).enqueue()
            started.append(path)
    return started


def wake_fan_out() -> bool:
    """Enqueue the fan-out task if report events wait for it and no fan-out task is waiting already.
    Asked every tick, so it costs one indexed EXISTS when nothing is new. True if it enqueued."""
    if not events.any_undispatched():
        return False
    task = tasks.fan_out
    if DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path).exists():
        return False
    task.enqueue()
    return True


class Timetable(threading.Thread):
    """A daemon thread in the worker process that, every `tick` seconds, wakes the fan-out of new report
    events (so they are told within about a second) and calls enqueue_due."""

    def __init__(self, tick: float = 1.0):
        super().__init__(name="gorod-timetable", daemon=True)
        self.tick = tick
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                wake_fan_out()
                for path in enqueue_due():
                    log.info("periodic job enqueued: %s", path)
            except Exception:
                log.exception("periodic timetable failed; trying again")
            self.stopped.wait(self.tick)
        close_old_connections()

    def stop(self) -> None:
        self.stopped.set()
