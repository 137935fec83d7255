"""Field-level encryption of personal data at rest, with a rotatable key list, and keyed hashes for
look-ups ("find reports by this e-mail") that never need the plaintext in the database."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@functools.cache
def _fernet() -> MultiFernet:
    keys = list(settings.GOROD_PII_KEYS)
    if not keys:
        # Development fallback: a key derived from SECRET_KEY, so a demo needs no extra setting.
        digest = hashlib.sha256(b"gorod-pii:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def reset_keys() -> None:
    """Forget cached keys (after the settings change in tests or a rotation)."""
    _fernet.cache_clear()


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("personal data cannot be decrypted with the configured GOROD_PII_KEYS") from exc


def rotate(token: str) -> str:
    """Re-encrypt a value under the newest key."""
    return _fernet().rotate(token.encode()).decode()


def lookup_hash(value: str) -> str:
    """A keyed hash of a normalised value (lower-case, trimmed): equal inputs give equal hashes, and the
    hash says nothing about the value to anyone without SECRET_KEY."""
    key = hashlib.sha256(b"gorod-lookup:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; Python code sees plaintext. Empty strings stay empty (nothing to hide),
    which keeps "not given" distinguishable without decrypting. Not filterable: use a lookup_hash column."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)
