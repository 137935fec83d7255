"""Idempotent POST requests (issue 9, item 14: a client retrying after a lost answer filed the report
twice). A client sends `Idempotency-Key: <key>` (or the form field `idempotency_key`); the first answer
to a key is kept 24 h (open311.models.IdempotentPost) and a retry with the same key and the same
parameters gets it again, status and body, with nothing filed. The same key with other parameters is
refused with 422. Keys are scoped per API key, so two clients never collide.

Concurrency: the record's row is inserted first, in the transaction that then files the report, under a
unique (scope, key). A concurrent retry's insert waits for that transaction (PostgreSQL's unique index;
SQLite's single writer) and then fails; it reads the committed record and replays it. If filing fails,
the record goes with the rollback, and a retry is judged afresh."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from gorod.core import clock
from gorod.open311.models import IdempotentPost
from gorod.open311.render import Open311Error

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
KEPT = dt.timedelta(hours=24)
MAX_LENGTH = 255
# Printable ASCII, as HTTP header values carry it; no control characters.
_KEY = re.compile(r"[\x20-\x7e]+")
# Never part of the fingerprint: the key itself, and the credential (the scope already names it).
_NOT_HASHED = frozenset({FIELD, "api_key"})


def key_of(request: HttpRequest, post: QueryDict) -> str | None:
    """The client's key from the header or the form field (both: they must agree), or None. Raises
    Open311Error(400) for a malformed key."""
    header = request.headers.get(HEADER)
    field = post.get(FIELD)
    if header is not None and field is not None and header != field:
        raise Open311Error(
            400, _("idempotency_key: the header and the form field name different keys; send one.")
        )
    key = header if header is not None else field
    if key is None:
        return None
    if not key or len(key) > MAX_LENGTH or not _KEY.fullmatch(key) or not key.strip():
        raise Open311Error(
            400,
            _("idempotency_key: 1 to %(n)d printable ASCII characters (a UUID is a good key).")
            % {"n": MAX_LENGTH},
        )
    return key


def fingerprint(fmt: str, post: QueryDict, files: MultiValueDict, get: QueryDict) -> str:
    """SHA-256 of the request's canonical parameters: the format, every form field but the key and the
    api_key (sorted by name, each name's values in order), the URL's jurisdiction_id and each photo's
    bytes. Reading the photos rewinds them for the parser after."""
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))  # length-prefixed: no two lists hash alike
            digest.update(data)

    add("fmt", fmt)
    for name in sorted(post):
        if name not in _NOT_HASHED:
            add("field", name, *post.getlist(name))
    add("get:jurisdiction_id", get.get("jurisdiction_id") or "")
    for name in sorted(files):
        for upload in files.getlist(name):
            upload.seek(0)
            add("file", name, hashlib.sha256(upload.read()).digest())
            upload.seek(0)
    return digest.hexdigest()


def once(*, scope: str, key: str, request_hash: str, produce: Callable[[], HttpResponse]) -> HttpResponse:
    """The answer of `produce` (which files the report and renders the answer), at most once per
    (scope, key) in 24 h: the kept answer for a retry, a 422 for the key reused on another request.
    Only a 200 is kept; a refusal is not, so a corrected retry with the same key is judged afresh."""
    key_hash = hashlib.sha256(key.encode()).hexdigest()
    kept = _kept(scope, key_hash)
    if kept is not None:
        return _replay(kept, request_hash)
    try:
        with transaction.atomic():
            record = IdempotentPost.objects.create(
                scope=scope,
                key_hash=key_hash,
                request_hash=request_hash,
                created=clock.now(),
                status=0,
                content_type="",
                body="",
            )
            response = produce()
            if response.status_code != 200:
                raise _NotKept(response)
            IdempotentPost.objects.filter(pk=record.pk).update(
                status=response.status_code,
                content_type=response["Content-Type"],
                body=response.content.decode(),
                report_id=_report_id(response),
            )
    except _NotKept as refused:
        return refused.response
    except IntegrityError:
        kept = _kept(scope, key_hash)  # a concurrent request with this key has committed its answer
        if kept is None:
            raise
        return _replay(kept, request_hash)
    return response


def purge(now: dt.datetime | None = None) -> int:
    """Forget the answers older than 24 h (a periodic job); returns how many went."""
    deleted, _by_model = IdempotentPost.objects.filter(created__lt=(now or clock.now()) - KEPT).delete()
    return deleted


class _NotKept(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _kept(scope: str, key_hash: str) -> IdempotentPost | None:
    """The live record of this key; an expired one (not yet purged) is deleted so the key is free."""
    record = IdempotentPost.objects.filter(scope=scope, key_hash=key_hash).first()
    if record is not None and record.created < clock.now() - KEPT:
        IdempotentPost.objects.filter(pk=record.pk).delete()
        return None
    return record


def _replay(record: IdempotentPost, request_hash: str) -> HttpResponse:
    if record.request_hash != request_hash:
        raise Open311Error(
            422,
            _(
                "idempotency_key: this key was already used for another request in the last 24 hours;"
                " use a new key for a new request."
            ),
        )
    response = HttpResponse(record.body, status=record.status, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _report_id(response: HttpResponse) -> int | None:
    return getattr(response, "report_id", None)
