"""Keyed one-way hashes of the budgeting app: roll links, census identifiers and secrets, voting codes,
receipts.

The key is GOROD_PB_SECRET when set, else derived from SECRET_KEY; each process adds its own salt, so
the same person has unrelated links in two processes and a copy of one process's tables cannot be
matched against another's."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from django.conf import settings


def _key(purpose: str, process) -> bytes:
    secret = getattr(settings, "GOROD_PB_SECRET", "") or settings.SECRET_KEY
    return hashlib.sha256(f"gorod-pb:{purpose}:{process.salt}:".encode() + secret.encode()).digest()


def _mac(purpose: str, process, value: str) -> str:
    return hmac.new(_key(purpose, process), value.encode(), hashlib.sha256).hexdigest()


def normalize_identifier(value: str) -> str:
    """Identifiers as people type them: case, spaces, dashes and full-width forms do not matter."""
    value = unicodedata.normalize("NFKC", value or "").strip().lower()
    return "".join(ch for ch in value if ch not in " -\t")


def roll_link(process, identity: str, scope: str) -> str:
    return _mac("roll", process, f"{identity}\x1f{scope}")


def census_hash(process, identifier: str) -> str:
    return _mac("census", process, normalize_identifier(identifier))


def census_secret_hash(process, identifier_hash: str, kind: str, value: str) -> str:
    """The second secret of a census entry ("birth" or "document"), bound to its identifier: equal
    dates of birth of two residents give unrelated values, and a guess is checked only with the key."""
    return _mac(f"census-{kind}", process, f"{identifier_hash}\x1f{value}")


def code_hash(process, code: str) -> str:
    return _mac("code", process, normalize_identifier(code))


def account_hash(process, user_pk: int) -> str:
    return _mac("account", process, str(user_pk))


def receipt_hash(code: str) -> str:
    """Plain SHA-256, so anyone holding a receipt code can check it against the published list."""
    return hashlib.sha256(normalize_identifier(code).encode()).hexdigest()
