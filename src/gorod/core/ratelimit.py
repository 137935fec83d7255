"""Rate limits on writes: fixed-window counters in Django's default cache.

With REDIS_URL set the cache is shared, so every app server counts the same window; without it each
process counts alone (a demo or a single server). A limit is "COUNT/WINDOW" (`10/10m`, `100/h`, `5/30s`,
`1000/d`) per scope in `GOROD_RATE_LIMITS`; a scope absent there is not limited. Keys are hashed before
they reach the cache, so no address or identifier is stored in clear.

    hit(scope, key)    count one attempt; raises RateLimited once the window's count is exceeded
    check(scope, key)  raise RateLimited if the window is already exhausted, counting nothing
                       (for limits on failures: check before, hit after a failure)

Time is core.clock's, so tests move through windows without sleeping. Limits are off under GOROD_TESTING
unless `GOROD_RATE_LIMITS_ENABLED` is turned on, so only the tests about limits meet them."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from gorod.core import clock
from gorod.core.http import client_ip

log = logging.getLogger(__name__)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Limit:
    count: int
    window_s: int


class RateLimited(Exception):
    def __init__(self, scope: str, retry_after: int):
        super().__init__(f"rate limit of {scope!r} reached; retry after {retry_after} s")
        self.scope = scope
        self.retry_after = retry_after


@functools.lru_cache(maxsize=256)
def parse(spec: str) -> Limit:
    match = _SPEC.match(spec)
    if not match or int(match[1]) < 1:
        raise ValueError(f"a rate limit is COUNT/WINDOW such as 10/10m or 100/h, not {spec!r}")
    return Limit(count=int(match[1]), window_s=int(match[2] or 1) * _UNITS[match[3]])


def limit_of(scope: str) -> Limit | None:
    if not getattr(settings, "GOROD_RATE_LIMITS_ENABLED", True):
        return None
    spec = getattr(settings, "GOROD_RATE_LIMITS", {}).get(scope)
    return parse(spec) if spec else None


def _window(scope: str, key: str, limit: Limit) -> tuple[str, int]:
    now = int(clock.now().timestamp())
    start = now - now % limit.window_s
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{key}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{limit.window_s}:{start}:{digest}", start + limit.window_s - now


def check(scope: str, key: str) -> None:
    limit = limit_of(scope)
    if limit is None:
        return
    name, left = _window(scope, key, limit)
    if (cache.get(name) or 0) >= limit.count:
        raise RateLimited(scope, max(left, 1))


def hit(scope: str, key: str) -> None:
    limit = limit_of(scope)
    if limit is None:
        return
    name, left = _window(scope, key, limit)
    # add() creates the counter only if absent, so concurrent first hits do not reset each other.
    cache.add(name, 0, timeout=left + 1)
    try:
        count = cache.incr(name)
    except ValueError:  # the window expired between add and incr
        cache.add(name, 1, timeout=left + 1)
        count = 1
    if count > limit.count:
        log.info("rate limit reached: scope=%s", scope)  # never the key: it may be an address
        raise RateLimited(scope, max(left, 1))


def too_many_requests(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """The styled 429 page, with Retry-After in seconds."""
    minutes = max(1, (exc.retry_after + 59) // 60)
    html = render_to_string("429.html", {"minutes": minutes}, request=request)
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def per_client(scope: str, *, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """View decorator: count each request of `methods` against `scope` for the client's address."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method in methods:
                try:
                    hit(scope, client_ip(request))
                except RateLimited as exc:
                    return too_many_requests(request, exc)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
