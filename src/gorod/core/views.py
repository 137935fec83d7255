import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from gorod.core import heartbeat

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers and `make demo`)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means "not healthy"; the detail goes to the log, not the client
        logger.exception("health check failed")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
def readyz(request):
    """Readiness for a load balancer: the database answers, the cache stores and returns a value, and a
    worker beat within GOROD_READY_WORKER_MAX_AGE_S (0: not checked). 200 with the checks when all pass,
    503 naming the failing ones otherwise. Only "ok" or a short reason per check: no hosts, no errors'
    text (they go to the log), nothing secret."""
    checks = {"database": _database(), "cache": _cache(), "worker": _worker()}
    failing = [name for name, result in checks.items() if result not in ("ok", "not checked")]
    body: dict[str, object] = {"status": "error" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means "not ready"
        logger.exception("readiness: database check failed")
        return "unreachable"
    return "ok"


def _cache() -> str:
    key, value = f"gorod:readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception:  # a cache server that is down raises its client's own errors
        logger.exception("readiness: cache check failed")
        return "unreachable"
    return "ok" if ok else "not storing"


def _worker() -> str:
    limit = settings.GOROD_READY_WORKER_MAX_AGE_S
    if limit <= 0:
        return "not checked"
    try:
        age = heartbeat.age_seconds()
    except Exception:
        logger.exception("readiness: heartbeat check failed")
        return "unknown"
    if age is None:
        return "no heartbeat"
    return "ok" if age <= limit else f"last heartbeat {int(age)} s ago"
