"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid


class NoTracebackFor403(logging.Filter):
    """Django logs a PermissionDenied with its traceback. A refusal is an expected answer, not a fault:
    one line (the path and status) is enough, and tracebacks of refusals would bury the real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


# --- Request ids and JSON lines (issue 10) -------------------------------------------------------------

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("gorod_request_id", default="")
# What a proxy may hand us as the request id (nginx's $request_id is 32 hex digits): anything else is
# replaced, so a client cannot write arbitrary text into every log line of its request.
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str:
    return _request_id.get()


class RequestId:
    """Middleware: give each request an id (the proxy's X-Request-ID when well-formed, else a new one),
    put it on every log line of the request and on the response, so a user's report of an error can be
    matched with the log without anyone quoting personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = offered if _ACCEPTED_ID.fullmatch(offered) else uuid.uuid4().hex
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class AddRequestId(logging.Filter):
    """Puts the current request id (or "") on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id when there is
    one, status_code when Django gave one, and the traceback text when there is one. Nothing else of the
    record is copied: extras such as Django's `request` object could carry cookies, headers or form data.
    Messages themselves follow the project's rule (ids and paths, never names, addresses or contacts)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", "") or _request_id.get()
        if rid:
            line["request_id"] = rid
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            line["status_code"] = status
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exc"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)
