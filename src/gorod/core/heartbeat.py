"""Heartbeats of long-running processes (the worker), kept in the database (core.models.Heartbeat) so
that any app server's /readyz and /metrics can tell how long ago a worker last proved it was alive."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.db import close_old_connections
from django.db.models import Max

from gorod.core import clock
from gorod.core.models import Heartbeat

log = logging.getLogger(__name__)

WORKER = "worker"
# A process gone for this long is forgotten, so the table holds only the recent workers.
FORGET_AFTER = dt.timedelta(days=1)


def process_name(kind: str = WORKER) -> str:
    """kind@host:pid — a machine and process number, nothing about a person."""
    return f"{kind}@{socket.gethostname()}:{os.getpid()}"[:100]


def beat(name: str) -> None:
    now = clock.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"at": now})
    Heartbeat.objects.filter(at__lt=now - FORGET_AFTER).delete()


def last_beat(kind: str = WORKER) -> dt.datetime | None:
    """The newest beat of any process of this kind, or None if none ever beat (or all are forgotten)."""
    return Heartbeat.objects.filter(name__startswith=f"{kind}@").aggregate(at=Max("at"))["at"]


def age_seconds(kind: str = WORKER) -> float | None:
    at = last_beat(kind)
    return None if at is None else max(0.0, (clock.now() - at).total_seconds())


def alive(kind: str = WORKER, *, within_s: float) -> int:
    """How many processes of this kind beat within the last `within_s` seconds."""
    since = clock.now() - dt.timedelta(seconds=within_s)
    return Heartbeat.objects.filter(name__startswith=f"{kind}@", at__gte=since).count()


class Beating(threading.Thread):
    """A daemon thread that beats every `every` seconds for the process it runs in. It proves the process
    lives and reaches the database; a task stuck for long shows in the outbox backlog and age instead."""

    def __init__(self, name: str, every: float = 5.0):
        super().__init__(name="gorod-heartbeat", daemon=True)
        self.beat_name = name
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                beat(self.beat_name)
            except Exception:  # a database hiccup must not end the heartbeat; readiness shows the gap
                log.exception("heartbeat failed; trying again")
            self.stopped.wait(self.every)
        close_old_connections()

    def stop(self) -> None:
        self.stopped.set()
