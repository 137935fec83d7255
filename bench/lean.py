"""Gorod beside the raw floor (issue 10, item 2): the server CPU each Open311 request costs Gorod under
`gorod serve` (gunicorn) and what the same answer costs bench/floor.py (stdlib sqlite3 + json) under the
same gunicorn with as many workers, on the same database file.

    uv run python -m bench.lean --database var/bench/run.sqlite3 [--iterations 300] [--workers 2] [--rounds 5]

CPU per request = user + system CPU of the server's processes (master and workers, from /proc) over the
timed requests, divided by their number. It depends on what else the machine runs far less than latency
does, but not at all would be too much to say (caches and cores are shared): both servers run at once and
take turns, and each one's figure is the least of its rounds.
`make bench` (bench/run.py) runs this on its database and puts the table in bench/RESULTS.md; run alone,
`--write` replaces that section only."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
OPEN = ("submitted", "accepted", "in_progress", "disputed", "reopened")
TARGETS = {"list100": 2.0, "list1000": 2.0, "byid": 3.0}  # Gorod / floor at most (issue 10)
SERVICES_TARGET_MS = 1.0


@dataclass
class Line:
    key: str
    name: str
    gorod_cpu_ms: float = 0.0
    floor_cpu_ms: float = 0.0
    gorod_p50_ms: float = 0.0
    floor_p50_ms: float = 0.0
    same_rows: bool = False
    gorod_304_cpu_ms: float | None = None  # services.json asked with the ETag it already has

    @property
    def ratio(self) -> float:
        return self.gorod_cpu_ms / self.floor_cpu_ms if self.floor_cpu_ms else float("inf")

    @property
    def target(self) -> str:
        if self.key == "services":
            return f"≤ {SERVICES_TARGET_MS:g} ms"
        return f"≤ {TARGETS[self.key]:g}× floor"

    @property
    def passed(self) -> bool:
        if self.key == "services":
            return self.gorod_cpu_ms <= SERVICES_TARGET_MS
        return self.ratio <= TARGETS[self.key]


def requests_to_measure(database: Path, rng: random.Random) -> dict[str, tuple[str, list[str]]]:
    """The issue's four requests: lists of 100 and 1000 open requests of the commonest services in the
    last 90 days, one request by id (random ids), services.json."""
    db = sqlite3.connect(database)
    end_text = db.execute("SELECT MAX(created) FROM reports_report").fetchone()[0]
    end = dt.datetime.fromisoformat(end_text).replace(tzinfo=dt.UTC)
    start = end - dt.timedelta(days=89)
    rows = db.execute(
        "SELECT c.service_code, COUNT(*) n FROM reports_report r JOIN city_category c ON c.id = r.category_id"
        f" WHERE r.created >= ? AND r.status IN ({', '.join('?' * len(OPEN))}) GROUP BY c.service_code"
        " ORDER BY n DESC",
        (start.isoformat(sep=" ").replace("+00:00", ""), *OPEN),
    ).fetchall()
    codes, matches = [], 0
    for code, n in rows:
        codes.append(code)
        matches += n
        if matches >= 1500 and len(codes) >= 2:
            break
    top = db.execute("SELECT MAX(id) FROM reports_report").fetchone()[0]
    db.close()
    query = {
        "service_code": ",".join(codes),
        "status": "open",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
    }

    def listing(n: int) -> str:
        return "/open311/v2/requests.json?" + urllib.parse.urlencode(query | {"page_size": n})

    ids = [rng.randint(1, top) for _ in range(300)]
    return {
        "list100": ("requests.json, 100 rows", [listing(100)]),
        "list1000": (f"requests.json, 1000 rows ({matches:,} match)", [listing(1000)]),
        "byid": ("one request by id", [f"/open311/v2/requests/{i}.json" for i in ids]),
        "services": ("services.json", ["/open311/v2/services.json"]),
    }


class Gunicorn:
    """A server on a free port: `gorod serve` or the floor, each under gunicorn."""

    def __init__(self, kind: str, database: Path, workers: int, log: Path):
        from bench.run import SERVER_LOG_ENV, free_port

        self.port = free_port()
        env = os.environ | {"PYTHONUNBUFFERED": "1", "GOROD_DEBUG": "0"}
        env.pop("GOROD_TESTING", None)
        if kind == "gorod":
            cmd = [
                sys.executable,
                "-m",
                "gorod.cli",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ]
            env |= SERVER_LOG_ENV | {
                "DATABASE_URL": f"sqlite:///{database}",
                "GOROD_STATIC_ROOT": str(ensure_static()),
            }
        else:
            cmd = [
                sys.executable, "-m", "gunicorn", "--workers", str(workers),
                "--bind", f"127.0.0.1:{self.port}",
                "--no-control-socket", "bench.floor:application",
            ]  # fmt: skip
            env |= {"DATABASE": str(database)}
        self.kind, self.workers = kind, workers
        self.log = log.open("w")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        from bench.run import wait_healthy, wait_warm

        wait_healthy(self.proc, self.port, self.log.name, timeout=120)
        if self.kind == "gorod":  # the warm-up thread's CPU must not count against the timed requests
            wait_warm(self.proc, self.log.name, self.workers)

    def cpu_seconds(self) -> float:
        from bench.run import process_tree_cpu

        return process_tree_cpu(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


_collected: list[Path] = []


def ensure_static() -> Path:
    """collectstatic once per run for the bench's servers (pages link hashed names from its manifest);
    once per run, not once ever, so that changed files are measured as they are now."""
    root = VAR / "static"
    if not _collected:
        _collected.append(root)
        env = os.environ | {"GOROD_STATIC_ROOT": str(root)}
        env.pop("GOROD_TESTING", None)
        subprocess.run(
            [sys.executable, "-m", "gorod.cli", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    return root


def warm_up(server: Gunicorn, paths: list[str], headers=None):
    """20 GETs (every worker process loads what it keeps); the first answer's JSON."""
    from bench.run import Client

    client = Client(server.port)
    first = None
    for i in range(20):
        status, body = client.request("GET", paths[i % len(paths)], headers=headers)
        if status not in (200, 304):
            raise AssertionError(f"HTTP {status} for {paths[i % len(paths)]}: {body[:300]!r}")
        if first is None and status == 200:
            first = json.loads(body)
    client.close()
    return first


def run_requests(server: Gunicorn, paths: list[str], n: int, start: int = 0, headers=None):
    """(server CPU ms per request, the latencies in ms) of n GETs, paths[start:] in turn."""
    from bench.run import Client

    client = Client(server.port)
    times = []
    cpu = server.cpu_seconds()
    for i in range(start, start + n):
        t = time.perf_counter()
        client.request("GET", paths[i % len(paths)], headers=headers)
        times.append((time.perf_counter() - t) * 1000)
    cpu = (server.cpu_seconds() - cpu) / n * 1000
    client.close()
    return cpu, times


def side_by_side(servers: dict[str, Gunicorn], paths: list[str], iterations: int, rounds: int, headers=None):
    """{kind: (CPU ms per request, p50 ms)}: the servers take turns, `rounds` times, with a share of the
    iterations each. The CPU is the least of a server's rounds: the machine's other work only ever adds to
    a round's (it was shared by several test runs when these figures were first taken), and taking turns
    puts both servers through the same spells of it."""
    per_round = max(1, iterations // rounds)
    cpu: dict[str, list[float]] = {kind: [] for kind in servers}
    times: dict[str, list[float]] = {kind: [] for kind in servers}
    for r in range(rounds):
        for kind, server in servers.items():
            c, t = run_requests(server, paths, per_round, r * per_round, headers=headers)
            cpu[kind].append(c)
            times[kind] += t
    return {kind: (min(cpu[kind]), sorted(times[kind])[len(times[kind]) // 2]) for kind in servers}


def same_rows(gorod, floor) -> bool:
    """The same answers: same ids (or service codes) in the same order, and the same field names."""
    if not isinstance(gorod, list) or not isinstance(floor, list) or len(gorod) != len(floor):
        return False
    key = "service_request_id" if gorod and "service_request_id" in gorod[0] else "service_code"
    return [g[key] for g in gorod] == [f[key] for f in floor] and all(
        set(g) == set(f) for g, f in zip(gorod, floor, strict=True)
    )


def measure(database: Path, *, workers: int, iterations: int, rounds: int = 5, log=print) -> list[Line]:
    VAR.mkdir(parents=True, exist_ok=True)
    plan = requests_to_measure(database, random.Random(1))
    lines = {key: Line(key, name) for key, (name, _) in plan.items()}
    servers = {
        kind: Gunicorn(kind, database, workers, VAR / f"lean-{kind}.log") for kind in ("floor", "gorod")
    }
    try:
        for server in servers.values():
            server.wait_ready()
        for key, (name, paths) in plan.items():
            log(f"Gorod and the floor, in turns: {name}")
            firsts = {kind: warm_up(server, paths) for kind, server in servers.items()}
            lines[key].same_rows = same_rows(firsts["gorod"], firsts["floor"])
            for kind, (cpu, p50) in side_by_side(servers, paths, iterations, rounds).items():
                setattr(lines[key], f"{kind}_cpu_ms", cpu)
                setattr(lines[key], f"{kind}_p50_ms", p50)
        # A polling client that already has the answer.
        from bench.run import Client

        services = plan["services"][1]
        etag = Client(servers["gorod"].port).request_full("GET", services[0])[1].get("ETag")
        gorod = {"gorod": servers["gorod"]}
        warm_up(servers["gorod"], services, headers={"If-None-Match": etag})
        lines["services"].gorod_304_cpu_ms = side_by_side(
            gorod, services, iterations, rounds, headers={"If-None-Match": etag}
        )["gorod"][0]
    finally:
        for server in servers.values():
            server.stop()
    return list(lines.values())


def table(lines: list[Line], workers: int, rounds: int = 5) -> list[str]:
    out = [
        "| Open311 request | Gorod CPU per request | floor CPU per request | Gorod / floor | target"
        " | result |"
        " p50 Gorod / floor | same rows |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for line in lines:
        out.append(
            f"| {line.name} | {line.gorod_cpu_ms:.2f} ms | {line.floor_cpu_ms:.2f} ms | {line.ratio:.1f}× |"
            f" {line.target} | {'pass' if line.passed else 'MISS'} |"
            f" {line.gorod_p50_ms:.1f} / {line.floor_p50_ms:.1f} ms |"
            f" {'yes' if line.same_rows else 'NO'} |"
        )
    services = next(line for line in lines if line.key == "services")
    if services.gorod_304_cpu_ms is not None:
        out.append(
            f"| services.json with If-None-Match (304) | {services.gorod_304_cpu_ms:.2f} ms | | | | | | |"
        )
    out.append("")
    out.append(
        f"Both under gunicorn, {workers} sync workers, on the same SQLite file, running at the same time;"
        " requests one at a time from one client on 127.0.0.1, to each server in turn"
        f" ({rounds} rounds). CPU: user + system time of the server's processes over a round's requests,"
        " the least of its rounds; p50 over all of them."
    )
    return out


SECTION = "## Gorod beside the raw floor (Open311)"


def write_section(lines: list[str], *, command: str, loads: list[float], seconds: float) -> None:
    """Replaces this section of bench/RESULTS.md where it stands, keeping every other one: `make bench`
    (bench/run.py) writes it in its own part of the file, so bench.results.write_section, which moves a
    section to the end, would leave two after the next whole run."""
    from bench.results import RESULTS

    text = RESULTS.read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    body = [
        SECTION,
        "",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · `{command}` · {seconds:.0f} s · load average"
        f" (1 min) at the start and the end: {', '.join(f'{x:.1f}' for x in loads)} (the machine's two"
        " cores were shared with other work: the CPU figures are inflated, the ratios less so)",
        "",
        *lines,
    ]
    RESULTS.write_text(text[:start] + "\n".join(body) + ("\n" + text[end:] if end != -1 else "\n"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=5, help="turns each server takes")
    parser.add_argument(
        "--write", action="store_true", help=f'replace the section "{SECTION[3:]}" of bench/RESULTS.md'
    )
    args = parser.parse_args(argv)
    started, loads = time.monotonic(), [os.getloadavg()[0]]
    lines = measure(
        args.database,
        workers=args.workers,
        iterations=args.iterations,
        rounds=args.rounds,
        log=lambda m: print(m, file=sys.stderr),
    )
    loads.append(os.getloadavg()[0])
    out = table(lines, args.workers, args.rounds)
    print("\n".join(out))
    if args.write:
        given = argv if argv is not None else sys.argv[1:]
        command = "uv run --frozen python -m bench.lean " + " ".join(given)
        write_section(out, command=command, loads=loads, seconds=time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
