"""Loading what a server process keeps in memory before its first request needs it.

`gorod serve` calls `start` in each gunicorn worker once it has booted (post_worker_init). The loaders are
named in settings.GOROD_WARM_UP (core may not import the apps that own them). They run one after the other
in a daemon thread, so the worker answers requests at once; a request that needs something still loading
waits for that loader's lock, as it would have loaded it itself."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


FINISHED = "warm-up finished"


def run() -> None:
    started = time.perf_counter()
    for path in settings.GOROD_WARM_UP:
        try:
            import_string(path)()
        except Exception:  # a warm-up that fails only leaves the work to the first request
            log.exception("warm-up %s failed", path)
    connections.close_all()  # this thread's own connections
    log.info("%s in %.1f s", FINISHED, time.perf_counter() - started)  # bench.run waits for this line


def start() -> threading.Thread:
    thread = threading.Thread(target=run, name="gorod-warm-up", daemon=True)
    thread.start()
    return thread
