from __future__ import annotations

import hashlib
import secrets

from gorod.open311.models import ApiKey


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_create(*, name: str) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the only copy of the plaintext key."""
    key = "g311_" + secrets.token_urlsafe(32)
    api_key = ApiKey(name=name.strip()[:100], prefix=key[:8], key_hash=hash_key(key))
    api_key.full_clean()
    api_key.save()
    return api_key, key


def api_key_check(key: str) -> ApiKey | None:
    if not key or len(key) > 200:
        return None
    return ApiKey.objects.filter(key_hash=hash_key(key), active=True).first()
