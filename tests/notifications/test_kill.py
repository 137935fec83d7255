"""Exactly once, with a real worker process: enqueue 200 deliveries (mails and webhooks), start
`gorod worker`, SIGKILL it at random moments mid-delivery several times, restart it, and check at the
receivers (a local SMTP server and a local webhook server) that every idempotency key arrived and that
raw re-sends are at most one per kill — the one message in flight when the process died, which carries
the same key and so is dropped by the receiver.

The worker needs a database it shares with the test: a temporary SQLite file, or on PostgreSQL (when
DATABASE_URL says so) a temporary database created and dropped here; both migrated by `gorod migrate`."""

from __future__ import annotations

import contextlib
import email
import json
import os
import random
import signal
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from gorod.notifications import webhooks
from tests.helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]
N = 200
KILLS = 4
SECRET = "kill-test-secret"
DELAY_S = 0.012  # each receiver takes a moment, so kills land mid-delivery


class Receiver:
    """What both sinks record: every key seen, raw, and the set of keys accepted (first sighting)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.raw: list[str] = []
        self.accepted: set[str] = set()
        self.bad_signatures = 0
        self.busy = 0  # connections being served: a copy sent before a kill may still be on its way

    def took(self, key: str) -> None:
        with self.lock:
            self.raw.append(key)
            self.accepted.add(key)

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        with self.lock:
            self.busy += 1
        try:
            yield
        finally:
            with self.lock:
                self.busy -= 1

    @property
    def duplicates(self) -> int:
        return len(self.raw) - len(self.accepted)


def smtp_server(receiver: Receiver) -> socketserver.ThreadingTCPServer:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, text: bytes) -> None:
            self.wfile.write(text + b"\r\n")

        def handle(self):
            with receiver.serving():
                self.converse()

        def converse(self):
            self.reply(b"220 sink ESMTP")
            while line := self.rfile.readline():
                verb = line[:4].upper()
                if verb == b"EHLO":
                    self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
                elif verb == b"DATA":
                    self.reply(b"354 go on")
                    data = []
                    while (row := self.rfile.readline()) not in (b".\r\n", b""):
                        data.append(row[1:] if row.startswith(b"..") else row)
                    message = email.message_from_bytes(b"".join(data))
                    time.sleep(DELAY_S)
                    # The header may be folded over two lines; unfold it as any mail server would.
                    message_id = "".join(str(message["Message-ID"]).split())
                    receiver.took(message_id.strip("<>").split("@")[0])
                    self.reply(b"250 queued")
                elif verb == b"QUIT":
                    self.reply(b"221 bye")
                    return
                else:  # HELO, MAIL, RCPT, RSET, NOOP
                    self.reply(b"250 ok")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # a killed client resets its connection: expected
    return server


def webhook_server(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            with receiver.serving():
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not webhooks.verify(SECRET, body, self.headers.get("X-Gorod-Signature", "")):
                    receiver.bad_signatures += 1
                time.sleep(DELAY_S)
                receiver.took(self.headers.get("Idempotency-Key", ""))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None
    return server


@pytest.fixture
def shared_database(tmp_path):
    """A DATABASE_URL for a fresh database the subprocesses share; dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    import psycopg

    name = f"gorod_kill_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(args: list[str], env: dict) -> str:
    # The timeout only guards against a hang: a loaded machine may take minutes to migrate.
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_sigkilled_workers_lose_nothing_and_send_nothing_twice_in_effect(shared_database, tmp_path):
    receiver = Receiver()
    servers = [smtp_server(receiver), webhook_server(receiver)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    smtp_port, http_port = (s.server_address[1] for s in servers)
    env = {
        **os.environ,
        "DATABASE_URL": shared_database,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "GOROD_VAR_DIR": str(tmp_path / "var"),
        "GOROD_SECRET_KEY": "kill-test-" + uuid.uuid4().hex,
        "GOROD_TEST_SMTP_PORT": str(smtp_port),
    }
    try:
        _run(["-m", "gorod.cli", "migrate", "-v0"], env)
        keys = json.loads(_run(["-m", "tests.notifications.kill_helper", "enqueue", str(N),
                                f"http://127.0.0.1:{http_port}/hook", SECRET], env))  # fmt: skip
        expected = {key for _, key in keys}
        assert len(expected) == N

        rng = random.Random()
        kills = 0
        while True:
            worker = subprocess.Popen(
                [sys.executable, "-m", "gorod.cli", "worker", "--interval", "0.1", "-v0"],
                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip
            if kills == KILLS:
                break
            # Kill once the receivers have seen a further slice of the work, at a random moment after.
            target = len(receiver.raw) + rng.randint(10, N // (KILLS + 2))
            wait_for(
                lambda target=target, worker=worker: len(receiver.raw) >= target or worker.poll() is not None,
                progress=lambda: len(receiver.raw),
                what=f"{target} deliveries before kill {kills + 1}",
            )
            time.sleep(rng.uniform(0, 0.05))
            assert worker.poll() is None, worker.stderr.read().decode()[-3000:] if worker.stderr else ""
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            kills += 1

        def all_sent() -> bool:
            # Every key at the receivers is not enough: the copy in flight at the last kill may have
            # arrived while its row waits, leased, to be sent again and marked.
            if receiver.accepted != expected:
                return False
            status.update(json.loads(_run(["-m", "tests.notifications.kill_helper", "status"], env)))
            return status["states"] == {"sent": N}

        status: dict = {}
        wait_for(all_sent, progress=lambda: (len(receiver.raw), str(status)), what="every delivery sent")
        # Stopped gracefully, the worker finishes the task in hand; once it is gone and the receivers
        # are idle, nothing can arrive any more, so a late duplicate is counted below.
        worker.terminate()
        wait_for(lambda: worker.poll() is not None, progress=lambda: 0, what="the worker to stop")
        wait_for(lambda: receiver.busy == 0, progress=lambda: receiver.busy, what="the receivers")
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()

    print(f"kills={kills} raw={len(receiver.raw)} unique={len(receiver.accepted)} dup={receiver.duplicates}")
    assert kills == KILLS
    assert receiver.accepted == expected, f"missing: {len(expected - receiver.accepted)}"
    assert receiver.bad_signatures == 0
    # At-least-once transport: a kill between a receiver's "OK" and the "sent" mark re-sends that one
    # message, with the same key. One message is in flight at a time, so at most one copy per kill.
    assert receiver.duplicates <= kills
    assert status["states"] == {"sent": N}
