"""`make bench-load`: the St Petersburg peak of bench/locustfile.py against `gorod serve`, on SQLite and on
PostgreSQL, stepping the number of simulated residents for a bounded time per step; the highest request
rate whose p95 stays ≤ 200 ms goes to the "Load" section of bench/RESULTS.md (other sections kept).

    uv run --frozen python -m bench.load [--reports N] [--steps 10,20,40,80] [--step-seconds S]
                                         [--engines sqlite,postgres] [--no-write]

The database is the demo city (`seed_demo --reports N`, default 20,000), built once per engine under
var/bench-load/ (SQLite) or in a database `gorod_bench_load` on the machine's PostgreSQL (DATABASE_URL
when it names one, else postgres@127.0.0.1). Before each run bench/pb_voters.py makes one-time voting codes
for the ballots the scenario casts (a fresh database when the demo's vote has closed since it was seeded).
Rate limits are off for the run (one client address).
locust runs on the same machine as the server and takes CPU from it: the figures are a floor."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.pb_voters import VOTE_CLOSED
from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-load"
SECTION = "## Load: a St Petersburg peak under locust (bench/load.py)"
P95_LIMIT_MS = 200.0
PG_NAME = "gorod_bench_load"
JURISDICTION = "spb.gorod.local"  # the demo's main city (it serves a second one too)


def log(message: str) -> None:
    print(f"[bench-load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return urlunsplit(urlsplit(url)._replace(path=f"/{PG_NAME}"))


def gorod(*args: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "gorod.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"gorod {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(engine: str, reports: int, voters: int) -> dict:
    """The environment of a server on this engine's database, seeded once (kept for later runs), with
    `voters` new one-time voting codes per ballot of the demo's open vote (bench/pb_voters.py)."""
    VAR.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"GOROD_TESTING", "DJANGO_SETTINGS_MODULE"}}
    env |= {
        "GOROD_VAR_DIR": str(VAR / engine),
        "GOROD_STATIC_ROOT": str(VAR / "static"),
        "GOROD_DEBUG": "0",
        "GOROD_RATE_LIMITS_ENABLED": "0",
        "GOROD_SECRET_KEY": "bench-load-not-secret",
        "PYTHONUNBUFFERED": "1",
    }
    (VAR / engine).mkdir(parents=True, exist_ok=True)
    env["DATABASE_URL"] = _database(engine, reports, fresh=False)
    marker = VAR / engine / f"seeded-{reports}"
    codes = VAR / engine / "voters.json"
    for attempt in range(2):
        log(f"{engine}: migrate, seed {reports:,} reports (once), collectstatic")
        gorod("migrate", "--noinput", "-v0", env=env)
        if not marker.exists():
            gorod("seed_demo", "--reports", str(reports), "--reset", "--no-progress", env=env)
            marker.touch()
        done = subprocess.run(
            [sys.executable, "-m", "bench.pb_voters", "--count", str(voters), "--output", str(codes)],
            env=env, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode == 0:
            break
        if done.returncode != VOTE_CLOSED or attempt:
            raise SystemExit(f"bench.pb_voters failed:\n{done.stderr[-3000:]}")
        # The demo's vote opened when the database was seeded and has closed since: seed a new one.
        log(f"{engine}: {done.stderr.strip()}; seeding a fresh database")
        marker.unlink()
        env["DATABASE_URL"] = _database(engine, reports, fresh=True)
    gorod("collectstatic", "--noinput", "-v0", env=env)
    env["GOROD_LOAD_API_KEY"] = gorod("create_api_key", "bench-load", env=env).strip().splitlines()[-1]
    env["GOROD_LOAD_VOTERS"] = str(codes)
    return env


def _database(engine: str, reports: int, *, fresh: bool) -> str:
    """The DATABASE_URL of the engine's load database; `fresh`: emptied first."""
    if engine == "sqlite":
        path = VAR / engine / f"gorod-{reports}.sqlite3"
        if fresh:
            for f in path.parent.glob(f"{path.name}*"):
                f.unlink()
        return f"sqlite:///{path}"
    import psycopg

    url = postgres_url()
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{PG_NAME}"')
    return url


def wait_up(base: str, server: subprocess.Popen) -> None:
    while True:
        if server.poll() is not None:
            raise SystemExit("gorod serve stopped before answering")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)


def warm_up(base: str, workers: int) -> None:
    """The first requests of a process load its map index, templates and caches (seconds): not a
    resident's experience at the peak, so each worker process gets them before the timed steps."""
    import json

    city = f"jurisdiction_id={os.environ.get('GOROD_LOAD_JURISDICTION', JURISDICTION)}"
    with urllib.request.urlopen(f"{base}/open311/v2/requests.json?page_size=5&{city}", timeout=600) as answer:
        ids = [r["service_request_id"] for r in json.load(answer)] or [1]
    paths = ["/reports/map.json?zoom=11", "/reports/", f"/reports/{ids[0]}/", "/pb/",
             f"/open311/v2/services.json?{city}", f"/open311/v2/requests/{ids[0]}.json?{city}"]  # fmt: skip
    for _ in range(4 * workers):  # connections are spread over the workers by the kernel
        for path in paths:
            with urllib.request.urlopen(base + path, timeout=600) as answer:
                answer.read()


def run_step(base: str, users: int, seconds: int, env: dict, prefix: Path) -> dict:
    """One headless locust run; its aggregated figures from the stats CSV."""
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "--host", base, "-u", str(users), "-r", str(max(1, users // 2)), "--run-time", f"{seconds}s",
         "--csv", str(prefix), "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING"],
        env=env, cwd=ROOT, check=False, capture_output=True, text=True,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows["Aggregated"]
    posts = rows.get("open311 POST requests.json", {})
    ballots = rows.get("pb ballot", {})
    return {
        "users": users,
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "posts": int(posts.get("Request Count", 0) or 0),
        "post_p95": float(posts.get("95%", 0) or 0),
        "ballots": int(ballots.get("Request Count", 0) or 0) - int(ballots.get("Failure Count", 0) or 0),
        "ballot_p95": float(ballots.get("95%", 0) or 0),
    }


def measure(engine: str, reports: int, steps: list[int], seconds: int, workers: int) -> list[dict]:
    env = prepare(engine, reports, voters_needed(steps, seconds))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gorod.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=(VAR / f"serve-{engine}.log").open("w"),
    )  # fmt: skip
    results = []
    try:
        wait_up(base, server)
        warm_up(base, workers)
        for users in steps:
            load = os.getloadavg()[0]
            step = run_step(base, users, seconds, env, VAR / f"{engine}-{users}")
            step["load"] = load
            results.append(step)
            log(f"{engine}: {users} users: {step['rps']:.1f} req/s, p95 {step['p95']:.0f} ms, "
                f"{step['failures']} failures")  # fmt: skip
            if step["p95"] > P95_LIMIT_MS or step["failures"]:
                break  # past the knee: more users only queue
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return results


def voters_needed(steps: list[int], seconds: int) -> int:
    """Codes per ballot, with room to spare: a user runs at most two tasks a second (locustfile's wait
    of 0.5 to 1.5 s), one task in 250 casts a ballot, and each of the demo's two ballots may get them all."""
    return max(200, sum(steps) * seconds * 2 // 250)


def best(results: list[dict]) -> dict | None:
    held = [r for r in results if r["p95"] <= P95_LIMIT_MS and not r["failures"]]
    return max(held, key=lambda r: r["rps"]) if held else None


def report(all_results: dict[str, list[dict]], args, workers: int) -> list[str]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    ) if Path("/proc/cpuinfo").exists() else platform.processor()  # fmt: skip
    lines = [
        SECTION,
        "",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · `make bench-load` (`python -m bench.load "
        f"--reports {args.reports} --step-seconds {args.step_seconds}`) · {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, Linux {platform.release()}",
        "",
        f"`gorod serve` with {workers} worker processes (one per core), the demo city with "
        f"{args.reports:,} reports; locust on the same machine (its CPU is taken from the server's, so "
        "these are floors). Scenario bench/locustfile.py: reads 100× writes (map, list, report pages, "
        "Open311 GETs, budgeting pages; Open311 POSTs and ballots cast with one-time voting codes, each "
        "ballot's receipt read back). Each step runs for a bounded time; stepping stops "
        "past p95 200 ms. Other work on the machine shares the cores: load average at each step's start "
        "is given.",
        "",
        "| database | users | requests/s | p50 | p95 | requests | failures | reports filed (p95) |"
        " ballots cast (p95) | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for engine, results in all_results.items():
        for r in results:
            lines.append(
                f"| {engine} | {r['users']} | {r['rps']:.1f} | {r['p50']:.0f} ms | {r['p95']:.0f} ms | "
                f"{r['requests']:,} | {r['failures']} | {r['posts']} ({r['post_p95']:.0f} ms) | "
                f"{r['ballots']} ({r['ballot_p95']:.0f} ms) | {r['load']:.1f} |"
            )
    lines.append("")
    for engine, results in all_results.items():
        top = best(results)
        held = (
            f"**{top['rps']:.1f} requests/s** ({top['rps'] / workers:.1f} per core) with p95 "
            f"{top['p95']:.0f} ms at {top['users']} users"
            if top
            else "no step held p95 ≤ 200 ms"
        )
        if top is not None and top is results[-1]:
            held += "; the last step still held, so the server's limit is higher (add steps)"
        lines.append(f"- {engine}: the highest rate holding p95 ≤ 200 ms: {held}.")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--steps", default="10,20,40,80,160")
    parser.add_argument("--step-seconds", type=int, default=60)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",")]
    results = {}
    for engine in args.engines.split(","):
        results[engine] = measure(engine, args.reports, steps, args.step_seconds, args.workers)
    lines = report(results, args, args.workers)
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, lines)


if __name__ == "__main__":
    main()
