"""Counting without identifying: the daily salt, de-duplication in the cache, and the in-process buffer
that reaches the database in batches.

A visitor is `blake2b(salt, IP, User-Agent)`, computed per request and used only as part of a cache key
that expires with the day; the salt is random, made per local day, kept only in the cache (Redis in
production: memory shared by every process) and in this process's memory, never in the database or a
log. Once the day's salt expires nobody — not even the operator — can tell whether a given person
visited. Replaying a request finds its key already in the cache and adds nothing.

Counts wait in this process's memory and are added to the database at most every
GOROD_DEMAND_FLUSH_S seconds, so a page view costs one or two cache calls and no query; a process that
dies loses at most that many seconds of counts."""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import logging
import secrets
import threading
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

from gorod.analytics.demand.models import DemandCounter
from gorod.core import clock

logger = logging.getLogger("gorod.analytics.demand")

KEY_TTL_S = 26 * 3600  # past the end of the local day, whatever the hour the key was made
Slot = tuple[int, dt.date, str, str]  # municipality id, local day, kind, key

_lock = threading.Lock()
_pending: Counter[Slot] = Counter()
_last_flush = clock.now()
_salts: dict[str, bytes] = {}


def day_salt(day: dt.date) -> bytes:
    """The salt of a local day, shared by every process through the cache (the first to ask makes it)."""
    name = day.isoformat()
    salt = _salts.get(name)
    if salt is None:
        key = f"demand:salt:{name}"
        cache.add(key, secrets.token_hex(32), timeout=KEY_TTL_S)
        shared = cache.get(key)
        if not shared:
            raise RuntimeError("the cache keeps no salt")
        salt = bytes.fromhex(shared)
        _salts.clear()  # only today's (and, around midnight, one more) salt is ever held
        _salts[name] = salt
    return salt


def visitor(day: dt.date, ip: str, user_agent: str) -> bytes:
    return hashlib.blake2b(f"{ip}\n{user_agent}".encode(), key=day_salt(day), digest_size=16).digest()


def first_time(day: dt.date, who: bytes, what: str) -> bool:
    """True the first time this visitor does `what` on this day (then the cache remembers it)."""
    mark = hashlib.blake2b(what.encode(), key=who, digest_size=16).hexdigest()
    return bool(cache.add(f"demand:seen:{day.isoformat()}:{mark}", 1, timeout=KEY_TTL_S))


def people_asking(day: dt.date, municipality_id: int, what: str) -> int:
    """How many different visitors (first_time already checked) asked for `what` today: a cache count
    under a salted hash, so not even the cache holds the text."""
    mark = hashlib.blake2b(what.encode(), key=day_salt(day), digest_size=16).hexdigest()
    key = f"demand:people:{day.isoformat()}:{municipality_id}:{mark}"
    cache.add(key, 0, timeout=KEY_TTL_S)
    return int(cache.incr(key))


def add(slot: Slot, amount: int = 1) -> None:
    with _lock:
        _pending[slot] += amount


def flush_if_due() -> None:
    if (clock.now() - _last_flush).total_seconds() >= settings.GOROD_DEMAND_FLUSH_S:
        flush()


def flush() -> int:
    """Add the buffered counts to the database; never raises (counting must not break a request)."""
    global _last_flush
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_flush = clock.now()
    if not batch:
        return 0
    try:
        with transaction.atomic():
            for slot, amount in sorted(batch.items()):
                _add_row(slot, amount)
    except Exception:
        logger.warning("demand counters not saved (%d rows dropped)", len(batch), exc_info=True)
        return 0
    return len(batch)


def _add_row(slot: Slot, amount: int) -> None:
    municipality_id, day, kind, key = slot
    rows = DemandCounter.objects.filter(municipality_id=municipality_id, day=day, kind=kind, key=key)
    if rows.update(value=F("value") + amount):
        return
    try:
        with transaction.atomic():
            DemandCounter.objects.create(
                municipality_id=municipality_id, day=day, kind=kind, key=key, value=amount
            )
            return
    except IntegrityError:
        pass  # another process created it meanwhile
    rows.update(value=F("value") + amount)


def pending() -> int:
    with _lock:
        return sum(_pending.values())


atexit.register(flush)  # a process stopped normally keeps its last seconds of counts
