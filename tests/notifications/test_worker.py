"""The worker: its timetable of periodic jobs survives restarts, and `gorod worker --batch` delivers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gorod.notifications import scheduler, services
from gorod.notifications.models import Delivery, JobRun

pytestmark = pytest.mark.django_db
SWEEP = "gorod.notifications.tasks.sweep"


def _queued(path: str) -> int:
    return DBTaskResult.objects.filter(task_path=path, status="READY").count()


def test_a_job_is_enqueued_when_due_and_the_time_is_remembered():
    start = timezone.now()
    timetable = [(SWEEP, 60)]
    assert scheduler.enqueue_due(start, timetable=timetable) == [SWEEP]
    assert scheduler.enqueue_due(start, timetable=timetable) == []  # a second worker, same moment
    assert scheduler.enqueue_due(start + dt.timedelta(seconds=59), timetable=timetable) == []
    # A restarted worker reads the time from the database, not from memory.
    assert JobRun.objects.get(name=SWEEP).last_enqueued_at == start
    assert scheduler.enqueue_due(start + dt.timedelta(seconds=61), timetable=timetable) == [SWEEP]
    assert _queued(SWEEP) == 2


def test_the_timetable_lists_importable_idempotent_tasks():
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    assert scheduler.jobs()
    for path, interval in scheduler.jobs():
        assert isinstance(import_string(path), Task) and interval > 0


# db_worker closes connections between tasks, which would end a test's wrapping transaction on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_the_worker_in_batch_mode_delivers_and_runs_due_jobs(mailoutbox):
    services.email_enqueue(to="a@example.org", subject="s", body="b", key="k")
    call_command("worker", batch=True, interval=0, verbosity=0)
    assert Delivery.objects.get().state == "sent" and len(mailoutbox) == 1
    assert set(JobRun.objects.values_list("name", flat=True)) == {path for path, _ in scheduler.jobs()}


def test_a_retry_wakes_the_worker_again_once(db, settings, failing_mail):
    from gorod.notifications import tasks

    settings.GOROD_DELIVERY_SWEEP_S = 600
    services.email_enqueue(to="a@example.org", subject="s", body="b", key="k")
    DBTaskResult.objects.all().delete()
    tasks.deliver.call()
    tasks.deliver.call()
    deferred = DBTaskResult.objects.filter(task_path="gorod.notifications.tasks.deliver", status="READY")
    assert deferred.count() == 1
    assert deferred.get().run_after >= Delivery.objects.get().next_attempt_at - dt.timedelta(seconds=1)


def test_housekeeping_keeps_recent_and_dead_deliveries(settings):
    from gorod.core import clock
    from gorod.notifications import tasks

    settings.GOROD_DELIVERY_KEEP_DAYS = 30
    old = services.email_enqueue(to="a@example.org", subject="s", body="b", key="old")
    recent = services.email_enqueue(to="a@example.org", subject="s", body="b", key="recent")
    dead = services.email_enqueue(to="a@example.org", subject="s", body="b", key="dead")
    now = clock.now()
    Delivery.objects.filter(pk=old.pk).update(state="sent", sent_at=now - dt.timedelta(days=31))
    Delivery.objects.filter(pk=recent.pk).update(state="sent", sent_at=now - dt.timedelta(days=29))
    Delivery.objects.filter(pk=dead.pk).update(state="dead", updated=now - dt.timedelta(days=300))
    tasks.housekeeping.call()
    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk, dead.pk}


def test_housekeeping_drops_old_mails_not_sent_on_purpose(settings):
    from gorod.core import clock
    from gorod.notifications import tasks

    settings.GOROD_DELIVERY_KEEP_DAYS = 30
    old = services.email_enqueue(to="a@example.org", subject="s", body="b", key="old")
    recent = services.email_enqueue(to="a@example.org", subject="s", body="b", key="recent")
    now = clock.now()
    Delivery.objects.filter(pk=old.pk).update(state="dropped", updated=now - dt.timedelta(days=31))
    Delivery.objects.filter(pk=recent.pk).update(state="dropped", updated=now - dt.timedelta(days=29))
    assert tasks.housekeeping.call() == 1
    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk}
