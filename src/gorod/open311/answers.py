"""Open311 answers that change only with the city file (discovery, services.json, a service definition),
kept ready per process and answered with ETag / Last-Modified so that polling clients get a 304.

services.json was rebuilt for every request (13.7 ms of CPU for 52 services, issue 10) although it changes
only when the city file is imported. Each answer is kept under (what, municipality, language, format) with
the municipality's configuration version (city.selectors.config_version, shared through the cache): an
import changes the version, and the next request builds the answer again. With a per-process cache (no
REDIS_URL) another process's import is seen after at most ANSWER_TTL_S, like the rest of the city caches.

The ETag is a hash of the body, so every process gives the same one for the same answer and a client's
If-None-Match is good whichever worker it reaches."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from gorod.city import selectors as city_selectors

ANSWER_TTL_S = 60.0
# Clients may reuse an answer for a minute without asking; after that a conditional GET costs a 304.
CACHE_CONTROL = "public, max-age=60"


@dataclass(frozen=True)
class Answer:
    body: bytes
    content_type: str
    etag: str
    last_modified: float  # seconds since the epoch
    version: str
    built: float  # time.monotonic()


_answers: dict[tuple, Answer] = {}
_lock = threading.Lock()


def forget() -> None:
    with _lock:
        _answers.clear()


def cached(
    request: HttpRequest,
    key: tuple,
    municipality_id: int,
    build: Callable[[], HttpResponse],
    last_modified: Callable[[], dt.datetime],
) -> HttpResponse:
    """The answer for `key` (its format and language included), built by `build()` when there is none
    for the current configuration version; a 304 when the client already has it."""
    version = city_selectors.config_version(municipality_id)
    now = time.monotonic()
    answer = _answers.get(key)
    if answer is None or answer.version != version or now - answer.built >= ANSWER_TTL_S:
        response = build()
        if response.status_code != 200:
            return response
        body = response.content
        answer = Answer(
            body=body,
            content_type=response["Content-Type"],
            etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
            last_modified=last_modified().timestamp(),
            version=version,
            built=now,
        )
        with _lock:
            _answers[key] = answer
    response = HttpResponse(answer.body, content_type=answer.content_type)
    _headers(response, answer)
    conditional = get_conditional_response(
        request, etag=answer.etag, last_modified=int(answer.last_modified), response=response
    )
    if conditional is None:  # Django returns None only when given no response; ours always has one
        return response
    if conditional is not response:
        _headers(conditional, answer)
    return conditional


def _headers(response: HttpResponse, answer: Answer) -> None:
    response["ETag"] = answer.etag
    response["Last-Modified"] = http_date(answer.last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    # The language comes from ?locale=, the Accept-Language header or the language cookie.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
