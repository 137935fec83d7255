"""Phone numbers are personal data: kept encrypted (core.crypto.EncryptedTextField), found through a keyed
hash of the normalised number, and shown to staff only masked."""

from __future__ import annotations

import re

from gorod.core import crypto

_NOT_DIGIT = re.compile(r"[^0-9]")
MAX_DIGITS = 15  # E.164


def normalise(raw: str) -> str:
    """ "+7 (900) 123-45-67" → "+79001234567"; "" when there are no digits or too many. Short codes and
    national numbers keep their digits without the plus."""
    raw = (raw or "").strip()
    digits = _NOT_DIGIT.sub("", raw)
    if not digits or len(digits) > MAX_DIGITS:
        return ""
    return ("+" if raw.startswith("+") else "") + digits


def lookup(phone: str) -> str:
    return crypto.lookup_hash("tel:" + normalise(phone))


def mask(phone: str) -> str:
    """What staff see: the country code's first digit and the last two digits, "+7 ••• ••• •• 67"."""
    phone = normalise(phone)
    if len(phone) < 6:
        return "•••"
    head = phone[:2] if phone.startswith("+") else ""
    return f"{head} ••• ••• •• {phone[-2:]}".strip()
