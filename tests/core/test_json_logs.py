"""GOROD_LOG_FORMAT=json: one JSON object per line with time, level, logger, message and the request id;
the request id travels on the response; nothing of the request but its id and path reaches a line."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from gorod.core.logs import AddRequestId, JsonFormatter, RequestId

pytestmark = pytest.mark.django_db


def _record(msg="hello %s", args=("world",), level=logging.WARNING, **extra) -> logging.LogRecord:
    record = logging.LogRecord("gorod.test", level, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_line_is_one_json_object_with_the_fields():
    line = JsonFormatter().format(_record(request_id="abc12345"))
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "WARNING" and data["logger"] == "gorod.test"
    assert data["message"] == "hello world" and data["request_id"] == "abc12345"
    assert data["time"].endswith("+00:00")


def test_extras_such_as_the_request_are_not_copied_into_the_line(rf):
    request = rf.post("/reports/new/", {"contact_email": "ivan@example.org"}, HTTP_COOKIE="sessionid=s3cr3t")
    line = JsonFormatter().format(_record(request=request, status_code=400))
    assert "ivan@example.org" not in line and "s3cr3t" not in line
    assert json.loads(line)["status_code"] == 400


def test_a_traceback_stays_inside_the_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record(msg="failed", args=())
        record.exc_info = sys.exc_info()
    data = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in data["exc"]


def test_every_response_carries_a_request_id_and_a_proxy_id_is_kept_when_well_formed(client):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")
    assert kept["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="evil\nline ivan@example.org")
    assert replaced["X-Request-ID"] != "evil\nline ivan@example.org" and "@" not in replaced["X-Request-ID"]


def test_lines_logged_during_a_request_carry_its_id(rf):
    seen = []

    def view(request):
        record = _record()
        AddRequestId().filter(record)
        seen.append(record.request_id)
        from django.http import HttpResponse

        return HttpResponse("ok")

    response = RequestId(view)(rf.get("/", HTTP_X_REQUEST_ID="req-00000001"))
    assert seen == ["req-00000001"] and response["X-Request-ID"] == "req-00000001"
    record = _record()
    AddRequestId().filter(record)
    assert record.request_id == ""  # outside a request: none


def test_the_json_format_is_chosen_by_the_setting():
    """In a fresh process, as a server starts: Django configures logging from the settings."""
    code = "import django, logging; django.setup(); logging.getLogger('gorod.probe').warning('probe %s', 42)"
    env = {**os.environ, "GOROD_LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "gorod.settings"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    (line,) = [line for line in done.stderr.splitlines() if "probe" in line]
    data = json.loads(line)
    assert data["message"] == "probe 42" and data["logger"] == "gorod.probe" and data["level"] == "WARNING"
