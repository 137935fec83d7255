"""django-tasks tasks the worker runs. `fan_out` is enqueued by the worker's timetable when report events
wait (scheduler.wake_fan_out); `deliver` in the transaction that writes deliveries; `sweep`, `digests`
and `poll_open311` run on the timetable (settings.GOROD_PERIODIC_JOBS). All are idempotent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult, get_date_max

from gorod.city import generation
from gorod.core import clock
from gorod.notifications import delivery as _delivery
from gorod.notifications import fanout, open311_out


def deliver_due(now: dt.datetime | None = None) -> int:
    """Deliver everything due, synchronously; returns how many deliveries were sent."""
    return _delivery.deliver_due(now)


def _reschedule() -> None:
    """Wake up again when the next retry or lease comes due, if that is before the next sweep."""
    nxt = _delivery.next_due()
    if nxt is None:
        return
    now = clock.now()
    sweep = float(getattr(settings, "GOROD_DELIVERY_SWEEP_S", 60))
    at = max(nxt, now)
    if nxt - now >= dt.timedelta(seconds=sweep):
        return
    # One waiting wake-up is enough (django_tasks_db stores "as soon as possible" as the maximum date).
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=deliver.module_path
    ).filter(Q(run_after__lte=at) | Q(run_after=get_date_max()))
    if not waiting.exists():
        deliver.using(run_after=at).enqueue()


@task()
def fan_out() -> int:
    """Derive the deliveries of every undispatched report event (fanout.fan_out); wakes `deliver`."""
    generation.check()  # the worker has no requests: a city file imported elsewhere is noticed here
    return fanout.fan_out()


@task()
def deliver() -> int:
    generation.check()
    budget = float(getattr(settings, "GOROD_DELIVERY_BUDGET_S", 60))
    sent = _delivery.deliver_due(budget_s=budget)
    _reschedule()
    return sent


@task()
def sweep() -> int:
    """The safety net: whatever is due (a lost wake-up, an expired lease of a dead worker) goes now."""
    sent = _delivery.deliver_due(budget_s=float(getattr(settings, "GOROD_DELIVERY_BUDGET_S", 60)))
    _reschedule()
    return sent


@task()
def digests() -> int:
    written = fanout.send_digests()
    if written:
        deliver.enqueue()
    return written


@task()
def poll_open311() -> int:
    return open311_out.poll_all()


@task()
def housekeeping() -> int:
    """Drop what no one needs any more: sent and dropped deliveries after GOROD_DELIVERY_KEEP_DAYS (their
    keys stop deduplicating then, which is long after any retry), and finished task results after 14
    days. Dead deliveries stay until staff deal with them."""
    from django.core.management import call_command

    from gorod.notifications.models import Delivery

    keep = dt.timedelta(days=int(getattr(settings, "GOROD_DELIVERY_KEEP_DAYS", 90)))
    cutoff = clock.now() - keep
    gone, _ = Delivery.objects.filter(state=Delivery.State.SENT, sent_at__lt=cutoff).delete()
    # Mails not sent on purpose keep their reason for staff as long; then the row (and the text it holds,
    # perhaps a stranger's) goes.
    dropped, _ = Delivery.objects.filter(state=Delivery.State.DROPPED, updated__lt=cutoff).delete()
    call_command("prune_db_task_results", min_age_days=14, verbosity=0)
    return gone + dropped
