"""The only source of "now" in Gorod. Tests freeze it with `clock.frozen(...)`."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today(tz: dt.tzinfo | None = None) -> dt.date:
    return timezone.localtime(now(), tz).date()


@contextlib.contextmanager
def frozen(at: dt.datetime) -> Iterator[dt.datetime]:
    """Freeze time at a timezone-aware moment for the duration of the block."""
    global _frozen
    if timezone.is_naive(at):
        raise ValueError("clock.frozen needs a timezone-aware datetime")
    previous, _frozen = _frozen, at
    try:
        yield at
    finally:
        _frozen = previous
