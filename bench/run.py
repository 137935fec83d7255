"""`make bench`: a St Petersburg-size city (1,000,000 reports) and the issue's speed targets, measured
through real HTTP servers from another process on 127.0.0.1. Figures go to bench/RESULTS.md.

    uv run python -m bench.run [--rebuild] [--reports N] [--raw] [--iterations K] [--create-seconds S]

The database is built once (bench/generate.py: ~5 minutes for 1M reports through the project's bulk
loader) and kept in var/bench/ under a key made of DATA_VERSION, the report count, the seed, the city
file and the migrations; --rebuild builds it again. Each run works on a copy, so the reports created by
the POST benchmark never accumulate in the cached database.

Every figure comes from the production server, `gorod serve` (gunicorn, sync workers): with one worker
per core, as deployed (targets are judged on it), and with one worker. Then bench/lean.py puts Gorod's CPU
per Open311 request beside the raw floor (bench/floor.py: stdlib sqlite3 + json under the same gunicorn).

    --anchor 2026-12-06   the end of the generated two years, for exact reproduction (default: now)
    --reports 100000      a smaller city, quicker to build (note it beside the figures)"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import itertools
import json
import os
import platform
import random
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.results import RESULTS

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
# Bump when bench/generate.py changes what it writes.
DATA_VERSION = 3  # 2: contacts encrypted under the installation key; 3: points rounded before the inside test
SEED = 1
ITERATIONS = 300
OPEN_STATUSES = ("submitted", "accepted", "in_progress", "disputed", "reopened")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the database ----------------------------------------------------------------------------------
def data_key(reports: int, raw: bool, anchor: str | None = None) -> str:
    h = hashlib.sha256(f"{DATA_VERSION}:{reports}:{SEED}:{'raw' if raw else 'loader'}".encode())
    if anchor:
        h.update(anchor.encode())
    h.update((ROOT / "src/gorod/demo/city/spb.yaml").read_bytes())
    for migration in sorted((ROOT / "src/gorod").glob("*/migrations/0*.py")):
        h.update(migration.name.encode())
        h.update(migration.read_bytes())
    return h.hexdigest()[:12]


def ensure_database(
    reports: int, *, rebuild: bool, raw: bool, anchor: str | None = None
) -> tuple[Path, dict]:
    VAR.mkdir(parents=True, exist_ok=True)
    key = data_key(reports, raw, anchor)
    db = VAR / f"city-{reports}-{key}.sqlite3"
    meta_file = db.with_suffix(".json")
    if db.exists() and meta_file.exists() and not rebuild:
        log(f"using the cached database {db.name}")
        return db, json.loads(meta_file.read_text()) | {"cached": True}
    # Databases of other sizes stay; an older one of this size is superseded.
    for old in [*VAR.glob(f"city-{reports}-*"), *VAR.glob("building-*")]:
        old.unlink()
    tmp = VAR / f"building-{key}.sqlite3"
    log(f"building {reports:,} reports into {db.name} (once; later runs reuse it)")
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp}", "GOROD_LOG_LEVEL": "WARNING"}
    cmd = [sys.executable, "-m", "bench.generate", "--reports", str(reports), "--seed", str(SEED)]
    if anchor:
        cmd += ["--anchor", anchor]
    # Progress goes straight to our stderr; the summary comes back as the last line of stdout.
    out = subprocess.run(
        cmd + (["--raw"] if raw else []), env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True
    )
    meta = json.loads(out.stdout.strip().splitlines()[-1])
    with sqlite3.connect(tmp) as conn:  # fold the WAL in, so the file is complete on its own
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    tmp.rename(db)
    meta_file.write_text(json.dumps(meta))
    return db, meta | {"cached": False}


def working_copy(db: Path) -> Path:
    run = VAR / "run.sqlite3"
    for f in VAR.glob("run.sqlite3*"):
        f.unlink()
    shutil.copyfile(db, run)
    # Write the copy out now, not while the first server is being measured, and read it once so that
    # every server starts with the file in the OS cache.
    os.sync()
    with run.open("rb") as f:
        while f.read(1 << 24):
            pass
    return run


# --- HTTP ------------------------------------------------------------------------------------------
class Client:
    """One keep-alive connection to the server; reconnects when the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None, headers=None) -> tuple[int, bytes]:
        status, _, data = self.request_full(method, path, body, headers)
        return status, data

    def request_full(self, method: str, path: str, body: str | None = None, headers=None):
        """(status, headers, body)."""
        headers = {"Accept-Language": "ru", **(headers or {})}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.conn.connect()
                self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, dict(response.getheaders()), data
            except (http.client.HTTPException, ConnectionError, TimeoutError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree_cpu(pid: int) -> float:
    """User + system CPU seconds used so far by a process and its children (gunicorn's workers).

    From each thread's schedstat (nanoseconds) where the kernel keeps it: /proc/<pid>/stat counts clock
    ticks of 10 ms, and a round of 60 requests by id costs the floor only about four of them."""
    total = 0.0
    try:
        children = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        children = []
    for p in [pid, *children]:
        total += _process_cpu(p)
    return total


def _process_cpu(pid: int) -> float:
    try:
        return sum(int(t.read_text().split()[0]) for t in Path(f"/proc/{pid}/task").glob("*/schedstat")) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(proc: subprocess.Popen, port: int, log_name: str, timeout: float) -> None:
    """Until the server on `port` answers /healthz; fails at once if its process has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}; see {log_name}")
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer /healthz in time")


# The environment of a measured `gorod serve`: wait_warm reads core.warmup's INFO line in the server's log,
# so the level the bench sets for itself (WARNING) must not reach the server and hide that line.
SERVER_LOG_ENV = {"PYTHONUNBUFFERED": "1", "GOROD_LOG_LEVEL": "INFO"}


def wait_warm(proc: subprocess.Popen, log_name: str, workers: int, timeout: float = 900) -> None:
    """Every worker of a `gorod serve` has finished its warm-up (core.warmup: the map index, the rollups),
    so that no timed request waits for it and no CPU it takes is counted. The server must run with
    SERVER_LOG_ENV."""
    from gorod.core.warmup import FINISHED

    deadline = time.monotonic() + timeout
    while Path(log_name).read_text(errors="replace").count(FINISHED) < workers:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server's workers did not finish warming up: see {log_name}")
        time.sleep(0.5)


class Server:
    """`gorod serve` (gunicorn) in a child process, on a free port, with the bench database."""

    def __init__(self, workers: int):
        from bench.lean import ensure_static

        self.workers = workers
        self.port = free_port()
        self.log = (VAR / f"server-{workers}.log").open("w")
        env = os.environ | SERVER_LOG_ENV | {"GOROD_STATIC_ROOT": str(ensure_static())}
        env.pop("GOROD_TESTING", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gorod.cli", "serve", "--port", str(self.port), "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        wait_healthy(self.proc, self.port, self.log.name, timeout)
        wait_warm(self.proc, self.log.name, self.workers)

    def pids(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [self.proc.pid, *(int(p) for p in children.read_text().split())]
        except OSError:
            return [self.proc.pid]

    def memory(self) -> str:
        parts = []
        for pid in self.pids():
            m = _proc_status(pid)
            parts.append(
                f"pid {pid}: peak {m.get('VmHWM', 0) / 1024:.0f} MiB, now {m.get('VmRSS', 0) / 1024:.0f} MiB "
                f"({m.get('RssAnon', 0) / 1024:.0f} MiB heap"
                f" + {m.get('RssFile', 0) / 1024:.0f} MiB mapped files)"
            )
        return "; ".join(parts)

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the server's processes."""
        return sum(_process_cpu(pid) for pid in self.pids())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def _proc_status(pid: int) -> dict[str, int]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


# --- measuring -------------------------------------------------------------------------------------
@dataclass
class Result:
    name: str
    how: str
    target: str = ""
    passed: bool | None = None
    times_ms: list[float] = field(default_factory=list)
    figure: str = ""  # for throughput lines
    error: str = ""

    def p(self, q: float) -> float:
        data = sorted(self.times_ms)
        return data[min(len(data) - 1, round(q * (len(data) - 1)))]


Call = Callable[[str], tuple[int, bytes]]


def timed(name: str, how: str, call: Call, paths: list[str], *, warmup: int, check, target_ms: float | None):
    """GET the paths in turn (ITERATIONS requests), after a warm-up; check(status, body) raises when
    the answer is wrong, which is recorded as an error rather than a time."""
    result = Result(name, how, target=f"p50 ≤ {target_ms:g} ms" if target_ms else "")
    try:
        for i in range(warmup):
            check(*call(paths[i % len(paths)]))
        for i in range(ITERATIONS):
            started = time.perf_counter()
            status, body = call(paths[i % len(paths)])
            result.times_ms.append((time.perf_counter() - started) * 1000)
            check(status, body)
    except Exception as exc:  # one broken endpoint must not hide the others
        result.error = f"{type(exc).__name__}: {str(exc)[:300]}"
        result.passed = False
        return result
    if target_ms:
        result.passed = result.p(0.5) <= target_ms
    return result


def expect(status_wanted: int, predicate=None, what: str = ""):
    def check(status: int, body: bytes) -> None:
        if status != status_wanted:
            raise AssertionError(f"HTTP {status} (wanted {status_wanted}): {body[:300]!r}")
        if predicate is not None and not predicate(body):
            raise AssertionError(f"unexpected answer ({what}): {body[:300]!r}")

    return check


@dataclass
class Plan:
    """What to ask for, chosen from the data so that each request does real work."""

    open311_query: str
    open311_matches: int
    district_id: int
    district_name: str
    district_bbox: str
    city_bbox: str
    report_ids: list[int]
    post_bodies: list[str]


def make_plan(rng: random.Random) -> Plan:
    from django.db.models import Count, Max
    from shapely import contains_xy

    from gorod.city.models import Category, District
    from gorod.city.selectors import default_municipality
    from gorod.core import clock, geo
    from gorod.open311.services import api_key_create
    from gorod.reports.models import Report
    from gorod.reports.workflow import OPEN

    muni = default_municipality()
    assert muni is not None, "the bench database has no city"
    reports = Report.objects.filter(municipality=muni)
    # Open311: open requests of the commonest services in the last 90 days of the data.
    end = reports.aggregate(m=Max("created"))["m"]
    start = end - dt.timedelta(days=89)
    window = reports.filter(created__gte=start, created__lte=end, status__in=OPEN)
    counts = window.values("category__service_code").annotate(n=Count("id")).order_by("-n")
    codes, matches = [], 0
    for row in counts:
        codes.append(row["category__service_code"])
        matches += row["n"]
        if matches >= 1500 and len(codes) >= 2:
            break
    query = urllib.parse.urlencode(
        {
            "service_code": ",".join(codes),
            "status": "open",
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
        }
    )
    districts = list(District.objects.filter(municipality=muni))
    shapes = {d.pk: geo.geometry_from_geojson(d.boundary) for d in districts}
    busiest = reports.values("district").annotate(n=Count("id")).order_by("-n")[0]["district"]
    district = next(d for d in districts if d.pk == busiest)
    bounds = [s.bounds for s in shapes.values()]
    city = (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )
    max_id = reports.aggregate(m=Max("id"))["m"]
    # POST bodies: categories in season today, points inside the districts, required attributes filled.
    today = clock.today()
    categories = [
        c
        for c in Category.objects.filter(municipality=muni, active=True).prefetch_related("attributes")
        if c.in_season(today)
    ]
    _, key = api_key_create(name="bench")
    bodies = []
    for i in range(8000):
        category = rng.choice(categories)
        shape = shapes[rng.choice(districts).pk]
        x0, y0, x1, y1 = shape.bounds
        lon, lat = rng.uniform(x0, x1), rng.uniform(y0, y1)
        while not contains_xy(shape, lon, lat):
            lon, lat = rng.uniform(x0, x1), rng.uniform(y0, y1)
        fields = {
            "api_key": key,
            "service_code": category.service_code,
            "lat": f"{lat:.6f}",
            "long": f"{lon:.6f}",
            "description": f"Нагрузочный тест {i}: {category.name}",
            "email": f"bench{i}@example.org",
            "first_name": "Иван",
        }
        for attribute in category.attributes.all():
            if attribute.required and attribute.variable:
                fields[f"attribute[{attribute.code}]"] = _attribute_value(attribute)
        bodies.append(urllib.parse.urlencode(fields))
    return Plan(
        open311_query=query,
        open311_matches=matches,
        district_id=district.pk,
        district_name=district.name_en or district.name,
        district_bbox=",".join(f"{v:.5f}" for v in shapes[district.pk].bounds),
        city_bbox=",".join(f"{v:.5f}" for v in city),
        report_ids=[rng.randint(1, max_id) for _ in range(ITERATIONS)],
        post_bodies=bodies,
    )


def _attribute_value(attribute) -> str:
    if attribute.is_list:
        return attribute.value_keys()[0]
    return {"number": "5", "datetime": "2026-05-13T10:00:00+03:00"}.get(attribute.datatype, "да")


def measure_gets(call: Call, plan: Plan, how: str, *, targets: bool = True) -> list[Result]:
    def json_list_of(n):
        return lambda body: len(json.loads(body)) == n

    def has_total(body):
        return json.loads(body)["total"] > 0

    def target(ms):
        return ms if targets else None

    return [
        timed(
            "Open311 GET requests.json, 1000 filtered results",
            how,
            call,
            [f"/open311/v2/requests.json?{plan.open311_query}"],
            warmup=10,
            check=expect(200, json_list_of(1000), "1000 requests"),
            target_ms=target(50),
        ),
        timed(
            "map clusters, whole city (zoom 10, city bbox)",
            how,
            call,
            [f"/reports/map.json?zoom=10&bbox={plan.city_bbox}"],
            warmup=10,
            check=expect(200, has_total, "clusters"),
            target_ms=target(50),
        ),
        timed(
            "map clusters, whole city (zoom 11, no bbox)",
            how,
            call,
            ["/reports/map.json"],
            warmup=5,
            check=expect(200, has_total, "clusters"),
            target_ms=target(50),
        ),
        timed(
            "map clusters, whole city, open reports only (zoom 10; no cached grouping)",
            how,
            call,
            ["/reports/map.json?zoom=10&" + "&".join(f"status={s}" for s in OPEN_STATUSES)],
            warmup=5,
            check=expect(200, has_total, "clusters"),
            target_ms=target(50),
        ),
        timed(
            f"map clusters, one district ({plan.district_name}, zoom 12)",
            how,
            call,
            [f"/reports/map.json?zoom=12&district={plan.district_id}&bbox={plan.district_bbox}"],
            warmup=10,
            check=expect(200, has_total, "clusters"),
            target_ms=target(50),
        ),
        timed(
            "report page /reports/<id>/, random ids",
            how,
            call,
            [f"/reports/{pk}/" for pk in plan.report_ids],
            warmup=10,
            check=expect(200),
            target_ms=target(30),
        ),
    ]


def measure_creation(
    port: int, plan: Plan, how: str, *, min_seconds: float, min_reports: int, threads: int
) -> Result:
    """POST from `threads` connections until both min_seconds and min_reports are reached (at most 120 s)."""
    result = Result(
        f"report creation, Open311 POST requests.json, {threads} connections", how, "≥ 200 reports/s"
    )
    lock = threading.Lock()
    bodies = itertools.cycle(plan.post_bodies)
    created, failures = 0, []
    started = time.perf_counter()

    def worker():
        nonlocal created
        client = Client(port)
        while True:
            elapsed = time.perf_counter() - started
            with lock:
                if (elapsed >= min_seconds and created >= min_reports) or elapsed > 120:
                    break
                body = next(bodies)
            t = time.perf_counter()
            try:
                status, data = client.request("POST", "/open311/v2/requests.json", body)
            except Exception as exc:
                status, data = 0, repr(exc).encode()
            ms = (time.perf_counter() - t) * 1000
            with lock:
                result.times_ms.append(ms)
                if status in (200, 201) and b"service_request_id" in data:
                    created += 1
                else:
                    failures.append(f"HTTP {status}: {data[:200]!r}")
        client.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    rate = created / elapsed
    result.figure = f"{rate:.0f} reports/s ({created:,} in {elapsed:.1f} s)"
    result.passed = rate >= 200 and not failures
    if failures:
        result.error = f"{len(failures)} failed, first: {failures[0]}"
    return result


def measure_server(workers: int, plan: Plan, args) -> tuple[list[Result], str]:
    how = f"gunicorn, {workers} worker{'s' if workers > 1 else ''}"
    judged = workers == args.workers
    server = Server(workers)
    try:
        server.wait_ready()
        client = Client(server.port)
        log(f"{how}: GET requests")
        results = measure_gets(lambda path: client.request("GET", path), plan, how, targets=judged)
        client.close()
        log(f"{how}: creating reports for ≥ {args.create_seconds:g} s and ≥ {args.create_reports:,} reports")
        cpu_before = server.cpu_seconds()
        creation = measure_creation(
            server.port,
            plan,
            how,
            min_seconds=args.create_seconds,
            min_reports=args.create_reports,
            threads=args.threads,
        )
        cpu = (server.cpu_seconds() - cpu_before) / max(len(creation.times_ms), 1) * 1000
        # CPU per request does not depend on what else the machine is doing, unlike the rate.
        creation.figure += f"; server CPU {cpu:.1f} ms per POST"
        if not judged:
            creation.target, creation.passed = "", None
        results.append(creation)
        return results, server.memory()
    finally:
        server.stop()


def measure_index_memory() -> tuple[str, str]:
    """The map index of the whole city: its size, and the peak allocation while loading it."""
    from gorod.city.selectors import default_municipality
    from gorod.reports import clustering

    muni = default_municipality()
    clustering.reset()
    tracemalloc.start()
    started = time.perf_counter()
    snap = clustering.refresh(muni.pk)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (
        f"{snap.nbytes / 2**20:.0f} MiB for {len(snap):,} reports",
        f"{peak / 2**20:.0f} MiB peak allocation (tracemalloc) during the full load,"
        f" which took {seconds:.1f} s",
    )


# --- the report ------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    import django
    import numpy

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU model": cpu,
        "RAM": f"{mem_kb / 2**20:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "Django": django.get_version(),
        "numpy": numpy.__version__,
    }


def row(r: Result) -> str:
    verdict = "" if r.passed is None else ("pass" if r.passed else "**FAIL**")
    if r.error:
        verdict = f"{verdict} {r.error}".strip()
    if r.figure:
        latency = f"{r.p(0.5):.1f} ms" if r.times_ms else "—"
        p95 = f"{r.p(0.95):.1f} ms" if r.times_ms else "—"
        return f"| {r.name} | {r.how} | {r.figure} | {latency} | {p95} | {r.target} | {verdict} |"
    if not r.times_ms:
        return f"| {r.name} | {r.how} | — | — | — | {r.target} | {verdict} |"
    return (
        f"| {r.name} | {r.how} | {len(r.times_ms)} requests | {r.p(0.5):.1f} ms | {r.p(0.95):.1f} ms "
        f"| {r.target} | {verdict} |"
    )


def write_results(
    *,
    meta: dict,
    db: Path,
    plan: Plan,
    results: list[Result],
    memory: dict,
    seconds: float,
    loads: list[float],
    floor_lines: list[str],
) -> None:
    command = "uv run --frozen python -m bench.run" + (" " + " ".join(sys.argv[1:]) if sys.argv[1:] else "")
    lines = [
        "# Benchmark results",
        "",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · `make bench` (`{command}`)"
        f" · whole run {seconds:.0f} s",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in machine().items()],
        f"- Load average (1 min) when each server's measurements began and at the end: "
        f"{', '.join(f'{x:.1f}' for x in loads)}. Other work on the machine shares its two cores; "
        "server CPU per request (for creation) does not depend on it, latencies and rates do.",
        "",
        "## Data",
        "",
        f"- {meta['reports']:,} reports with {meta['events']:,} workflow events,"
        f" demo city `{meta['municipality']}` "
        f"(src/gorod/demo/city/spb.yaml), created over the two years to {meta['end'][:10]}; loaded by "
        f"`{meta['loader']}` in {meta['seconds']:.0f} s"
        + (" (this run reused the cached database)." if meta.get("cached") else "."),
        f"- Final statuses: {', '.join(f'{k} {v:,}' for k, v in meta['statuses'].items())}.",
        f"- SQLite file {db.stat().st_size / 2**20:,.0f} MiB, WAL, `ANALYZE` run after the load.",
        "",
        "## Results",
        "",
        "Server: `gorod serve` (gunicorn sync workers running `gorod.wsgi:application`), the project's "
        "settings, DEBUG off, SQLite. *N workers*: one per core, as deployed; targets are judged on it. "
        "*1 worker*: for comparison. The client is this process on 127.0.0.1: GETs one at a time "
        "(gunicorn's sync workers close each connection), a warm-up and then "
        f"{ITERATIONS} timed requests per line (request "
        "sent → body read); POSTs from several connections at once. *In-process*: django.test.Client in "
        "this process (no HTTP; it keeps one database connection across requests), for reference.",
        "",
        "| measurement | how | n / throughput | p50 | p95 | target | result |",
        "|---|---|---|---|---|---|---|",
        *[row(r) for r in results],
        "",
        "What was requested:",
        "",
        f"- Open311: `GET /open311/v2/requests.json?{plan.open311_query}` — {plan.open311_matches:,} "
        "matching requests, the first 1000 returned.",
        f"- Map, whole city: `/reports/map.json?zoom=10&bbox={plan.city_bbox}` and `/reports/map.json` (the "
        "unfiltered grouping is computed once per index snapshot and resolution, then reused); with "
        "`status=` each open status, the grouping is computed on every request.",
        "- Map, one district: "
        f"`/reports/map.json?zoom=12&district={plan.district_id}&bbox={plan.district_bbox}`.",
        f"- Report pages: {ITERATIONS} random ids among all reports.",
        "- Creation: form-encoded `POST /open311/v2/requests.json` with a valid api_key, a category in "
        "season, a random point in a district, required attributes filled.",
        "",
        "## Memory",
        "",
        *[f"- {k}: {v}" for k, v in memory.items()],
        "",
        "A server's peak (VmHWM) counts the database file SQLite maps into the process (settings: "
        "`mmap_size` 256 MiB; shared, reclaimable page cache, shown as mapped files) and SQLite's page "
        "cache (`cache_size` 64 MiB per connection, in the heap), besides Django (~60 MiB) and the map "
        "index. Only the process that served the map requests holds an index. "
        "`--help` lists the options.",
        "",
        "## Gorod beside the raw floor (Open311)",
        "",
        *floor_lines,
        "",
    ]
    # bench/pb.py's section (written by its own run) is kept.
    from bench.pb import SECTION

    old = RESULTS.read_text() if RESULTS.exists() else ""
    kept = old[old.index(SECTION) :] if SECTION in old else ""
    RESULTS.write_text("\n".join(lines) + ("\n" + kept if kept else ""))
    log(f"wrote {RESULTS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    global ITERATIONS
    parser = argparse.ArgumentParser(description="Gorod benchmarks (make bench)")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument(
        "--anchor",
        default=None,
        help="end of the generated two years (bench/generate.py --anchor), for exact reproduction",
    )
    parser.add_argument("--raw", action="store_true", help="build with raw SQL instead of the bulk loader")
    parser.add_argument("--iterations", type=int, default=ITERATIONS, help="timed requests per GET line")
    parser.add_argument("--create-seconds", type=float, default=20.0)
    parser.add_argument("--create-reports", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=4, help="client connections for the POST benchmark")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="server processes")
    parser.add_argument("--no-single", action="store_true", help="skip the one-worker server")
    parser.add_argument("--no-floor", action="store_true", help="skip Gorod beside the raw floor")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    ITERATIONS = args.iterations
    started = time.monotonic()

    db, meta = ensure_database(args.reports, rebuild=args.rebuild, raw=args.raw, anchor=args.anchor)
    run_db = working_copy(db)
    os.environ["DATABASE_URL"] = f"sqlite:///{run_db}"
    os.environ["GOROD_DEBUG"] = "0"
    # A load test files thousands of reports from one address with one key: the limits on writes
    # (docs/security.md) would answer 429 after the first few, as they should in production.
    os.environ["GOROD_RATE_LIMITS_ENABLED"] = "0"
    # The in-process run renders pages too: it needs the manifest of hashed static names.
    from bench.lean import ensure_static

    os.environ["GOROD_STATIC_ROOT"] = str(ensure_static())
    os.environ.setdefault("GOROD_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gorod.settings")
    import django

    django.setup()
    from django.db import connections

    plan = make_plan(random.Random(SEED))
    connections.close_all()
    log(f"Open311 query matches {plan.open311_matches:,}; district {plan.district_name}")

    results: list[Result] = []
    memory: dict[str, str] = {}
    loads = []
    for workers in [args.workers] + ([] if args.no_single or args.workers == 1 else [1]):
        loads.append(os.getloadavg()[0])
        measured, mem = measure_server(workers, plan, args)
        results += measured
        memory[f"server, {workers} worker{'s' if workers > 1 else ''} (VmHWM / VmRSS)"] = mem

    floor_lines: list[str] = ["(skipped: --no-floor)"]
    if not args.no_floor:
        from bench import lean

        loads.append(os.getloadavg()[0])
        log("Gorod beside the raw floor")
        lines = lean.measure(run_db, workers=args.workers, iterations=ITERATIONS, log=log)
        floor_lines = lean.table(lines, args.workers)
        print("\n".join(floor_lines))

    log("in-process (django.test.Client), for reference")
    from django.test import Client as DjangoClient

    dj = DjangoClient(HTTP_ACCEPT_LANGUAGE="ru")

    def call(path: str) -> tuple[int, bytes]:
        response = dj.get(path)
        return response.status_code, response.content

    results += measure_gets(call, plan, "in-process", targets=False)
    loads.append(os.getloadavg()[0])
    size, load = measure_index_memory()
    memory["map index, resident"] = size
    memory["map index, loading"] = load
    memory["this process (ru_maxrss: client, in-process runs, its own index)"] = (
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    for r in results:
        print(row(r))
    for k, v in memory.items():
        print(f"{k}: {v}")
    if not args.no_write:
        seconds = time.monotonic() - started
        write_results(
            meta=meta,
            db=db,
            plan=plan,
            results=results,
            memory=memory,
            seconds=seconds,
            loads=loads,
            floor_lines=floor_lines,
        )
    connections.close_all()
    for f in VAR.glob("run.sqlite3*"):  # the working copy: 1.4 GB for a million reports
        f.unlink()
    judged = [r for r in results if r.passed is not None]
    broken = [r for r in results if r.error]
    return 1 if broken or (args.strict and not all(r.passed for r in judged)) else 0


if __name__ == "__main__":
    sys.exit(main())
