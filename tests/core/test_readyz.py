"""/readyz for a load balancer: database, cache and the worker's heartbeat; 503 naming what fails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from gorod.core import clock, heartbeat
from gorod.core.models import Heartbeat

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)


def test_ready_when_database_cache_and_a_fresh_worker_answer(client, settings):
    settings.GOROD_READY_WORKER_MAX_AGE_S = 60
    with clock.frozen(AT):
        heartbeat.beat(heartbeat.process_name())
    with clock.frozen(AT + dt.timedelta(seconds=59)):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "worker": "ok"}}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_not_ready_without_any_worker_heartbeat(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert response.json()["checks"]["worker"] == "no heartbeat"


def test_not_ready_when_the_newest_heartbeat_is_too_old(client, settings):
    settings.GOROD_READY_WORKER_MAX_AGE_S = 60
    with clock.frozen(AT):
        heartbeat.beat("worker@a:1")
    with clock.frozen(AT + dt.timedelta(seconds=30)):
        heartbeat.beat("worker@b:2")  # the freshest of several workers counts
    with clock.frozen(AT + dt.timedelta(seconds=89)):
        assert client.get("/readyz").status_code == 200
    with clock.frozen(AT + dt.timedelta(seconds=120)):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "last heartbeat 90 s ago"


def test_the_worker_check_can_be_left_to_another_monitor(client, settings):
    settings.GOROD_READY_WORKER_MAX_AGE_S = 0
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["checks"]["worker"] == "not checked"


def test_not_ready_when_the_cache_fails_and_no_error_text_is_shown(client, settings, monkeypatch):
    settings.GOROD_READY_WORKER_MAX_AGE_S = 0
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis://secret@cache:6379 refused")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
    assert b"secret" not in response.content and b"6379" not in response.content


def test_not_ready_when_the_database_fails(client, settings, monkeypatch):
    settings.GOROD_READY_WORKER_MAX_AGE_S = 0
    from django.db import connection

    def broken(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["database"]


def test_healthz_stays_a_liveness_check_without_the_worker(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_a_heartbeat_thread_beats_until_stopped(monkeypatch):
    beating = heartbeat.Beating("worker@test:1", every=0)
    monkeypatch.setattr(beating.stopped, "wait", lambda timeout: beating.stopped.set())
    # Run here in the test's thread and transaction: the thread's own connection care does not apply.
    monkeypatch.setattr(heartbeat, "close_old_connections", lambda: None)
    with clock.frozen(AT):
        beating.run()
    assert Heartbeat.objects.get(name="worker@test:1").at == AT


def test_processes_gone_for_a_day_are_forgotten():
    with clock.frozen(AT):
        heartbeat.beat("worker@old:1")
    with clock.frozen(AT + dt.timedelta(days=1, seconds=1)):
        heartbeat.beat("worker@new:2")
    assert list(Heartbeat.objects.values_list("name", flat=True)) == ["worker@new:2"]


# db_worker closes connections between tasks, which would end a test's wrapping transaction on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_when_it_starts():
    with clock.frozen(AT):
        call_command("worker", batch=True, interval=0, verbosity=0)
    (row,) = Heartbeat.objects.all()
    assert row.name.startswith("worker@") and row.at == AT
