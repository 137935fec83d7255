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


def encrypted_columns() -> list[tuple[type[models.Model], list[str]]]:
    """Every model of the installation with EncryptedTextField columns, and those columns."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names and not model._meta.proxy:
            found.append((model, names))
    return found


def reencrypt_all(*, batch_size: int = 1000) -> dict[str, int]:
    """Re-encrypt every encrypted column of every model under the newest of GOROD_PII_KEYS (any listed
    key may decrypt the values now), in batches. Returns rows rewritten per model label. Safe to run
    again or to interrupt: a row read with an old key is written with the new one."""
    from django.db import transaction

    done: dict[str, int] = {}
    for model, names in encrypted_columns():
        manager = model._base_manager
        holding = manager.exclude(**{name: "" for name in names})
        last_pk, count = None, 0
        while True:
            rows = holding.order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.only(*names)[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                for row in batch:
                    manager.filter(pk=row.pk).update(**{name: getattr(row, name) for name in names})
            count += len(batch)
            last_pk = batch[-1].pk
        done[model._meta.label] = count
    return done
