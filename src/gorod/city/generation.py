"""One number for "the city configuration as last imported", shared by every process through the cache.

Each process keeps the city configuration it reads on the hot path (city.selectors: municipalities,
categories, routing, calendars; city.districts: the district polygons) for up to a minute. With several
app servers an import of the city file in one process must be seen by all of them at once, not a minute
later: `import_city` bumps the generation kept in the shared cache (Redis with REDIS_URL), and every
process compares it with the one its caches were built under, once per request (one cache get, done by
city.middleware) and once per worker task, forgetting them when it changed.

Without REDIS_URL the cache is per process, so only the importing process sees the bump and the others
fall back to the minute of expiry (docs/scaling.md: several app servers need Redis)."""

from __future__ import annotations

import threading
import uuid

from django.core.cache import cache

KEY = "gorod:city-generation"
_lock = threading.Lock()
_seen: list[str] = []  # the generation this process's caches were built under; empty before the first check


def current() -> str:
    return _read()[0]


def _read() -> tuple[str, bool]:
    """The shared generation, and whether it had to be made: a fresh or flushed cache has none. An
    empty cache says nothing about the city file (an import always bumps after it), so the processes
    adopt the new value without forgetting their caches; the minute of expiry covers the rare import
    whose bump was flushed before a process saw it."""
    generation = cache.get(KEY)
    if generation is not None:
        return generation, False
    cache.add(KEY, uuid.uuid4().hex, None)
    return cache.get(KEY) or "", True


def bump() -> None:
    """Called after an import commits: every process forgets its city caches at its next check."""
    cache.set(KEY, uuid.uuid4().hex, None)
    check()


def check() -> bool:
    """Forget this process's city caches when another process imported since; True when it did."""
    generation, made = _read()
    if _seen and _seen[0] == generation:
        return False
    with _lock:
        changed = bool(_seen) and _seen[0] != generation and not made
        _seen[:] = [generation]
    if changed:
        _forget_local()
    return changed


def _forget_local() -> None:
    from gorod.city import selectors
    from gorod.city.districts import invalidate_districts

    invalidate_districts()
    selectors.invalidate_caches()
