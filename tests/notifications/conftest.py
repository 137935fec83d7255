"""Fixtures for notifications: a local HTTP sink (a real socket, no mocked HTTP layer) and users."""

from __future__ import annotations

import json
import smtplib
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Hit:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class Sink:
    """Answers from `responses` (status, body, delay seconds) in turn, then `default`; records each hit."""

    url: str = ""
    hits: list[Hit] = field(default_factory=list)
    responses: deque = field(default_factory=deque)
    default: tuple = (200, b"{}", 0.0)
    routes: dict = field(default_factory=dict)  # path prefix -> callable(Hit) -> (status, body)

    def answer(self, hit: Hit) -> tuple[int, bytes, float]:
        for prefix, handler in self.routes.items():
            if hit.path.startswith(prefix):
                status, body = handler(hit)
                return status, body, 0.0
        if self.responses:
            return self.responses.popleft()
        return self.default


def _handler(sink: Sink):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            hit = Hit(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
            sink.hits.append(hit)
            status, body, delay = sink.answer(hit)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = _serve

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def http_sink(settings):
    # The sink answers at once; only a loaded machine could make it miss production's short timeout.
    settings.GOROD_HTTP_TIMEOUT_S = 60
    sink = Sink()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(sink))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sink.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield sink
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _addresses_confirmed(addresses_confirmed):
    """These tests are about the outbox, not about confirming addresses (test_mail_addresses.py is)."""


@pytest.fixture
def make_user(db):
    from gorod.accounts.models import User

    counter = {"n": 0}

    def make(role: str = User.Role.CITIZEN, email: str | None = None, **extra):
        counter["n"] += 1
        name = f"{role}{counter['n']}"
        return User.objects.create_user(
            username=name, email=email if email is not None else f"{name}@example.org", role=role, **extra
        )

    return make


@pytest.fixture
def deliver():
    """Run the worker's delivery once, synchronously, as the worker would."""
    from gorod.notifications.tasks import deliver_due

    return deliver_due


def json_body(hit: Hit) -> dict:
    return json.loads(hit.body)


class FailingBackend:
    """An e-mail backend whose server is down (or refuses), counting attempts."""

    calls = 0
    error: Exception = smtplib.SMTPServerDisconnected("gone")

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return False

    def close(self):
        pass

    def send_messages(self, messages):
        FailingBackend.calls += 1
        raise FailingBackend.error


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = "tests.notifications.conftest.FailingBackend"
    FailingBackend.calls = 0
    FailingBackend.error = smtplib.SMTPServerDisconnected("gone")
    return FailingBackend


@pytest.fixture
def file_report(file_report):
    """File a report through the real service and let the worker derive its notices from its event (as
    it does within a second in production); `fan_out=False` stops after the filing's transaction."""
    from tests.helpers import fan_out as derive

    def file(*, fan_out: bool = True, **overrides):
        report = file_report(**overrides)
        if fan_out:
            derive()
        return report

    return file
