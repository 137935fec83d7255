"""The audit trail: an append-only, hash-chained log of every look at and every change of what matters for
residents' data and staff power (docs/security.md lists the actions).

Each entry says who (a user id), when, what (an action and the object's type and id — never a name, an
e-mail or a phone) and from where (the client address, or "command" / "worker"). Its `hash` is an HMAC
over its own fields and the previous entry's hash, so editing a row, deleting one or cutting entries off
the end breaks the chain, and `gorod audit_verify` names the first broken entry. The key is derived from
SECRET_KEY: someone who can write to the database but does not know the key cannot re-chain the rows.

Appending locks the single AuditHead row, so concurrent writers are chained one at a time; the entry is
written in the caller's transaction, so a change and its audit entry commit (or roll back) together."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from gorod.core import clock
from gorod.core.http import client_ip
from gorod.core.models import AuditEntry, AuditHead

HEAD = 1
_origin: contextvars.ContextVar[str] = contextvars.ContextVar("gorod_audit_origin", default="")

Detail = dict[str, str | int | bool | None]


class OriginMiddleware:
    """Remembers where the current request comes from (core.http.client_ip) for the entries it writes,
    so services deep below a view need not pass the address along."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _origin.set(client_ip(request)[:64])
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)


@contextlib.contextmanager
def origin(value: str) -> Iterator[None]:
    """Entries written in this block say they came from `value` ("command", "worker")."""
    token = _origin.set(value[:64])
    try:
        yield
    finally:
        _origin.reset(token)


def record(
    *,
    action: str,
    actor=None,
    object_type: str = "",
    object_id: object = "",
    detail: Detail | None = None,
) -> AuditEntry:
    """Append one entry. `actor` is a user (or None for the system); `detail` holds ids, roles and counts
    only: its values must be plain strings, numbers, booleans or None."""
    for key, value in (detail or {}).items():
        if not isinstance(value, str | int | bool | type(None)):
            raise TypeError(f"audit detail {key!r} must be a plain value")
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            seq=head.seq + 1,
            at=clock.now(),
            actor_id=actor_id,
            action=action[:60],
            object_type=object_type[:40],
            object_id=str(object_id)[:64],
            origin=_origin.get() or "",
            detail=dict(detail or {}),
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(entry)
        entry.save()
        AuditHead.objects.filter(pk=HEAD).update(seq=entry.seq, hash=entry.hash)
    return entry


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=HEAD).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditHead.objects.create(pk=HEAD, seq=0, hash="")
    except IntegrityError:
        pass  # another writer created it first
    return AuditHead.objects.select_for_update().get(pk=HEAD)


def _key() -> bytes:
    return hashlib.sha256(b"gorod-audit:" + settings.SECRET_KEY.encode()).digest()


def _utc(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_hash(entry: AuditEntry) -> str:
    fields = {
        "seq": entry.seq,
        "at": _utc(entry.at),
        "actor": entry.actor_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "origin": entry.origin,
        "detail": entry.detail,
    }
    text = (
        entry.prev_hash + "\n" + json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    )
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Verdict:
    entries: int
    head: str  # the newest entry's hash: write it down elsewhere to anchor the chain
    broken_seq: int | None = None  # the first entry that does not fit
    broken_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.reason == ""


def verify(*, chunk: int = 2000) -> Verdict:
    """Recompute the chain from the first entry; stop at the first entry that does not fit."""
    expected_seq, prev, count = 1, "", 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk):
        if entry.seq != expected_seq:
            return Verdict(
                count, prev, entry.seq, entry.pk, f"entries {expected_seq}–{entry.seq - 1} are missing"
            )
        if entry.prev_hash != prev:
            return Verdict(count, prev, entry.seq, entry.pk, "it does not point at the entry before it")
        if not hmac.compare_digest(entry_hash(entry), entry.hash):
            return Verdict(count, prev, entry.seq, entry.pk, "its content does not match its hash")
        prev, count, expected_seq = entry.hash, count + 1, expected_seq + 1
    head = AuditHead.objects.filter(pk=HEAD).first()
    if head is None and count:
        return Verdict(count, prev, None, None, "the head row is missing")
    if head is not None and (head.seq, head.hash) != (count, prev):
        return Verdict(
            count, prev, count + 1, None, f"the head counts {head.seq} entries: the last are missing"
        )
    return Verdict(count, prev)
