from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from gorod.core import clock
from gorod.open311.models import ApiKey


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_create(*, name: str, municipality=None) -> tuple[ApiKey, str]:
    """Create a key (for one municipality, or for all when None); returns the row and the only copy of
    the plaintext key."""
    key = "g311_" + secrets.token_urlsafe(32)
    api_key = ApiKey(
        name=name.strip()[:100], prefix=key[:8], key_hash=hash_key(key), municipality=municipality
    )
    api_key.full_clean()
    api_key.save()
    return api_key, key


def api_key_check(key: str) -> ApiKey | None:
    if not key or len(key) > 200:
        return None
    return ApiKey.objects.filter(key_hash=hash_key(key), active=True).first()


# Marking every call would add a write to every POST; once a minute is enough to see a key is alive.
_LAST_USED_EVERY = dt.timedelta(minutes=1)


def api_key_used(api_key: ApiKey) -> None:
    """Record that the key was just used (at most one write a minute per key)."""
    now = clock.now()
    if api_key.last_used is None or now - api_key.last_used >= _LAST_USED_EVERY:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used=now)
        api_key.last_used = now
