"""Several app servers, one state (issue 10, item 3), with real processes: two `gorod serve` instances
(one gunicorn worker each, on free ports) against one PostgreSQL database and one Redis, and two
`gorod worker` processes on the same database.

- a report filed through one server (Open311 POST) shows in the other's map and Open311 list within the
  map's refresh interval;
- a city file imported while both run is seen by both at their very next request (city.generation);
- a session made by signing in on one is signed in on the other; login failures on both add up to one
  lockout (django-axes' database handler); rate-limit counts are shared (core.ratelimit in Redis);
- two workers deliver N outbox rows exactly once each (SELECT … FOR UPDATE SKIP LOCKED).

PostgreSQL and Redis come from DATABASE_URL / REDIS_URL when they name them, else the machine's own
(127.0.0.1:5432 as postgres, 127.0.0.1:6379); the test is skipped, saying why, when either is not
reachable. It makes its own database (dropped afterwards) and its own cache key prefix (deleted after)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.helpers import wait_for

pytestmark = pytest.mark.multiserver

ROOT = Path(__file__).resolve().parents[2]
CITY = ROOT / "tests" / "data" / "test_city.yaml"
JURISDICTION = "testgrad.example"
PASSWORD = "correct horse battery staple 42"
OPEN311_LIMIT = 6  # Open311 POSTs per client address per day, counted over both servers
N_DELIVERIES = 120


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return os.environ.get("GOROD_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _redis_url() -> str:
    return os.environ.get("REDIS_URL") or os.environ.get("GOROD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "gorod").glob("*/migrations/0*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _migrated_template(admin_url: str, parts) -> str:
    """A migrated database to copy (CREATE DATABASE … TEMPLATE), kept on the server under a name made
    from the migrations: migrating PostgreSQL from nothing takes minutes on a loaded machine, a copy a
    second. Built under a temporary name and renamed, so two runs at once never use a half-built one."""
    import psycopg

    name = f"gorod_multitpl_{_migrations_digest()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return name
        building = f"{name}_{uuid.uuid4().hex[:6]}"
        conn.execute(f'CREATE DATABASE "{building}"')
    env = {k: v for k, v in os.environ.items() if k not in {"GOROD_TESTING", "DJANGO_SETTINGS_MODULE"}}
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{building}"))
    done = subprocess.run(
        [sys.executable, "-m", "gorod.cli", "migrate", "-v0"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if done.returncode != 0:
            conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            raise AssertionError(done.stderr[-3000:])
        try:
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        except psycopg.errors.DuplicateDatabase:  # another run finished first: use its copy
            conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
    return name


@pytest.fixture
def shared_state():
    """(DATABASE_URL, REDIS_URL, cache prefix): a fresh, migrated PostgreSQL database and a prefix of
    its own."""
    import psycopg
    import redis

    parts = urlsplit(_postgres_url())
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        psycopg.connect(admin_url, autocommit=True, connect_timeout=3).close()
    except psycopg.Error as exc:
        pytest.skip(f"multiserver: PostgreSQL is not reachable at {parts.hostname}:{parts.port} ({exc})")
    redis_url = _redis_url()
    try:
        store = redis.Redis.from_url(redis_url, socket_timeout=3)
        store.ping()
    except redis.RedisError as exc:
        pytest.skip(f"multiserver: Redis is not reachable at {redis_url} ({exc})")
    template = _migrated_template(admin_url, parts)
    name = f"gorod_multi_{uuid.uuid4().hex[:10]}"
    prefix = f"gorod-test-{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}")), redis_url, prefix
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        keys = list(store.scan_iter(f"{prefix}:*", count=1000))
        if keys:
            store.delete(*keys)


class Processes:
    def __init__(self, tmp_path: Path, env: dict):
        self.tmp_path, self.env = tmp_path, env
        self.procs: list[tuple[subprocess.Popen, Path]] = []

    def run(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "gorod.cli", *args],
            env=env or self.env, cwd=ROOT, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start(self, name: str, *args: str, env: dict | None = None) -> subprocess.Popen:
        log = self.tmp_path / f"{name}.log"
        proc = subprocess.Popen(
            [sys.executable, "-m", "gorod.cli", *args],
            env=env or self.env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.procs.append((proc, log))
        return proc

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-2000:]}" for _, log in self.procs)

    def stop(self) -> None:
        for proc, _ in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class Server:
    """One `gorod serve` seen from outside: a requests session per visitor."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str, session=None, **kw):
        import requests

        return (session or requests).get(self.base + path, timeout=60, allow_redirects=False, **kw)

    def post(self, path: str, data: dict, session=None, **kw):
        import requests

        return (session or requests).post(
            self.base + path, data=data, timeout=60, allow_redirects=False, **kw
        )

    def up(self) -> bool:
        import requests

        try:
            return self.get("/healthz").status_code == 200
        except requests.ConnectionError:
            return False


def report_form(api_key: str, n: int, **overrides) -> dict:
    fields = {
        "api_key": api_key,
        "jurisdiction_id": JURISDICTION,
        "service_code": "pothole",
        "lat": str(60.0 + n / 1000),
        "long": "30.3",
        "description": f"Яма номер {n}",
        "attribute[depth]": "12",
        "email": f"citizen{n}@example.org",
        **overrides,
    }
    return {k: v for k, v in fields.items() if v is not None}


def test_two_servers_and_two_workers_share_one_state(shared_state, tmp_path):

    database_url, redis_url, prefix = shared_state
    env = {k: v for k, v in os.environ.items() if k not in {"GOROD_TESTING", "DJANGO_SETTINGS_MODULE"}} | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "GOROD_CACHE_PREFIX": prefix,
        "GOROD_VAR_DIR": str(tmp_path / "var"),
        "GOROD_STATIC_ROOT": str(tmp_path / "static"),
        "GOROD_SECRET_KEY": "multiserver-" + uuid.uuid4().hex,
        "GOROD_DEBUG": "0",
        "GOROD_RATE_LIMITS": f"open311_client={OPEN311_LIMIT}/d",
        "GOROD_MAP_REFRESH_S": "1",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "tests.multiserver.server_settings",
    }
    procs = Processes(tmp_path, env)
    started = time.monotonic()
    try:
        collect = procs.start("collectstatic", "collectstatic", "--noinput", "-v0")
        procs.run("migrate", "-v0")  # nothing to do on the template's copy unless it is stale
        procs.run("import_city", str(CITY))
        api_key = procs.run("create_api_key", "multiserver").strip().splitlines()[-1]
        procs.run("shell", "-c", (
            "from gorod.accounts.models import User; "
            f"User.objects.create_user(username='anna', password={PASSWORD!r}, email='anna@example.org')"
        ))  # fmt: skip
        assert collect.wait(timeout=900) == 0, procs.logs()
        ports = free_port(), free_port()
        for i, port in enumerate(ports):
            procs.start(f"serve{i}", "serve", "--workers", "1", "--port", str(port))
        a, b = (Server(p) for p in ports)
        wait_for(lambda: a.up() and b.up(), progress=lambda: 0, what="both servers up", patience=300)
        print(f"set up in {time.monotonic() - started:.0f} s (migrate, collectstatic, city, two servers)")

        _a_report_filed_on_one_shows_on_the_other(a, b, api_key)
        _an_import_is_seen_by_both_at_once(procs, a, b, api_key, tmp_path)
        _a_session_from_one_works_on_the_other(a, b)
        _login_failures_add_up_across_servers(a, b)
        _rate_limit_counts_are_shared(a, b, api_key)
        _two_workers_deliver_each_row_once(procs, env, tmp_path)
    except BaseException:
        print(procs.logs())
        raise
    finally:
        procs.stop()


def _a_report_filed_on_one_shows_on_the_other(a: Server, b: Server, api_key: str) -> None:
    total_before = b.get("/reports/map.json?zoom=11").json()["total"]
    created = a.post("/open311/v2/requests.json", report_form(api_key, 1))
    assert created.status_code == 200, created.text[:500]
    report_id = created.json()[0]["service_request_id"]

    def on_b() -> bool:
        listed = b.get("/open311/v2/requests.json?service_code=pothole").json()
        return b.get("/reports/map.json?zoom=11").json()["total"] == total_before + 1 and any(
            str(r["service_request_id"]) == str(report_id) for r in listed
        )

    wait_for(on_b, progress=lambda: 0, what="the report on the other server (map and list)", patience=60)
    assert b.get(f"/open311/v2/requests/{report_id}.json").status_code == 200


def _an_import_is_seen_by_both_at_once(
    procs: Processes, a: Server, b: Server, api_key: str, tmp_path
) -> None:
    # Warm both servers' caches of the city (categories, routing, districts) with a report each.
    for n, server in ((2, a), (3, b)):
        assert server.post("/open311/v2/requests.json", report_form(api_key, n)).status_code == 200
    assert b.post("/open311/v2/requests.json", report_form(api_key, 4, service_code="pit")).status_code == 404
    changed = CITY.read_text(encoding="utf-8").replace(
        "routing:",
        "  - {service_code: pit, object_type: road, name: Провал, name_en: Sinkhole, department: roads}\n"
        "routing:",
        1,
    )
    path = tmp_path / "changed_city.yaml"
    path.write_text(changed, encoding="utf-8")
    procs.run("import_city", str(path))
    # No waiting: the next request to either server knows the new service.
    for server in (a, b):
        codes = {s["service_code"] for s in server.get("/open311/v2/services.json").json()}
        assert "pit" in codes
    created = b.post(
        "/open311/v2/requests.json", report_form(api_key, 5, service_code="pit", **{"attribute[depth]": None})
    )
    assert created.status_code == 200, created.text[:500]


def _sign_in(server: Server, session, password: str):
    server.get("/account/login/", session)
    token = session.cookies.get("csrftoken")
    return server.post(
        "/account/login/",
        {"username": "anna", "password": password, "csrfmiddlewaretoken": token},
        session,
        headers={"Referer": server.base + "/account/login/"},
    )


def _a_session_from_one_works_on_the_other(a: Server, b: Server) -> None:
    import requests

    browser = requests.Session()
    assert b.get("/account/", browser).status_code == 302  # not signed in: to the login page
    signed_in = _sign_in(a, browser, PASSWORD)
    assert signed_in.status_code == 302, signed_in.text[:500]
    page = b.get("/account/", browser)
    assert page.status_code == 200, page.status_code


def _login_failures_add_up_across_servers(a: Server, b: Server) -> None:
    import requests

    from gorod import settings as defaults

    limit = defaults.AXES_FAILURE_LIMIT
    browser = requests.Session()
    for i in range(limit):
        answer = _sign_in((a, b)[i % 2], browser, "wrong password")
        assert answer.status_code == (429 if i == limit - 1 else 400), (i, answer.status_code)
    # Half the failures were on each server; together they lock the account out on both, the right
    # password included (the lockout page answers 429, accounts.lockout).
    for server in (a, b):
        assert _sign_in(server, requests.Session(), PASSWORD).status_code == 429


def _rate_limit_counts_are_shared(a: Server, b: Server, api_key: str) -> None:
    # Five Open311 POSTs so far from this address: two to a, three to b (the refused "pit" one counts
    # too). The sixth is the day's last; after it both refuse, though neither alone has seen six.
    statuses = [
        server.post("/open311/v2/requests.json", report_form(api_key, n)).status_code
        for n, server in enumerate((a, b, a, b), start=10)
    ]
    assert statuses == [200, 429, 429, 429], statuses


def _two_workers_deliver_each_row_once(procs: Processes, env: dict, tmp_path: Path) -> None:
    from tests.notifications.test_kill import SECRET, Receiver, smtp_server, webhook_server

    receiver = Receiver()
    servers = [smtp_server(receiver), webhook_server(receiver)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    smtp_port, http_port = (s.server_address[1] for s in servers)
    worker_env = env | {
        "DJANGO_SETTINGS_MODULE": "tests.multiserver.worker_settings",
        "GOROD_TEST_SMTP_PORT": str(smtp_port),
    }
    try:
        helper = subprocess.run(
            [sys.executable, "-m", "tests.notifications.kill_helper", "enqueue", str(N_DELIVERIES),
             f"http://127.0.0.1:{http_port}/hook", SECRET],
            env=worker_env, cwd=ROOT, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        assert helper.returncode == 0, helper.stderr[-3000:]
        expected = {key for _, key in json.loads(helper.stdout)}
        for i in range(2):
            procs.start(f"worker{i}", "worker", "--interval", "0.1", "-v0", env=worker_env)

        keys_file = tmp_path / "keys.json"
        keys_file.write_text(json.dumps(sorted(expected)))
        unsent = (
            "import json; from gorod.notifications.models import Delivery; "
            f"keys = json.load(open({str(keys_file)!r})); "
            "print(Delivery.objects.filter(key__in=keys).exclude(state='sent').count())"
        )

        def all_sent() -> bool:
            # The reports filed above queued deliveries of their own (mails to departments...), which
            # may wait or fail at the sink: only the N rows of this part must all be marked sent.
            return expected <= receiver.accepted and procs.run("shell", "-c", unsent, env=worker_env).split()[
                -1:
            ] == ["0"]

        wait_for(all_sent, progress=lambda: len(receiver.raw), what="every delivery sent", patience=120)
        wait_for(lambda: receiver.busy == 0, progress=lambda: receiver.busy, what="the receivers")
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    # The reports filed above queued mails of their own: every key, those included, arrived once.
    assert receiver.duplicates == 0, [k for k in receiver.accepted if receiver.raw.count(k) > 1]
    assert receiver.bad_signatures == 0
    workers_busy = [log.read_text() for proc, log in procs.procs if "worker" in log.name]
    assert all(not re.search(r"Traceback", text) for text in workers_busy), workers_busy
