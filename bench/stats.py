"""Dashboards benchmark (issue 13, item 3): /stats/ and /performance/ on the benchmark city (bench.run's
database of --reports reports, 1,000,000 by default, built once and cached in var/bench/). The daily
rollups are written first, as `gorod stats_rollup --rebuild` writes them (timed), into a copy of the
database; then `gorod serve` (gunicorn, one worker) answers each dashboard view ITERATIONS times after a
warm-up that loads the rollups and the map index into the worker. Target: p50 ≤ 100 ms for every view.
Figures go to the "Dashboards" section of bench/RESULTS.md (replaced on every run, other sections kept).

    uv run --frozen python -m bench.stats [--reports N] [--iterations K] [--no-write] [--reuse-rollups]"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time

from bench import run as bench_run
from bench.results import RESULTS, write_section
from bench.run import ROOT, VAR, Client, Result, Server, ensure_database, expect, log, timed

SECTION = "## Dashboards (/stats/, /performance/)"
TARGET_MS = 100
WARMUP = 3


def rolled_copy(reports: int, *, reuse: bool = False) -> tuple[str, float, int]:
    """A copy of the benchmark database with its rollups written; (path, seconds, rows). `reuse`: the
    copy an earlier run rolled up, if there is one (the roll-up takes minutes at a million reports)."""
    db, _meta = ensure_database(reports, rebuild=False, raw=False)
    copy = VAR / f"stats-{db.stem}.sqlite3"
    meta = copy.with_suffix(".json")
    if reuse and copy.exists() and meta.exists():
        log(f"using the rolled-up copy {copy.name}")
        seconds, rows = json.loads(meta.read_text())
        return str(copy), seconds, rows
    meta.unlink(missing_ok=True)
    for f in VAR.glob(f"{copy.name}*"):
        f.unlink()
    shutil.copyfile(db, copy)
    env = os.environ | {"DATABASE_URL": f"sqlite:///{copy}", "GOROD_LOG_LEVEL": "WARNING"}
    env.pop("GOROD_TESTING", None)
    log(f"rolling up {copy.name}")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "gorod.cli", "stats_rollup", "--rebuild"], env=env, cwd=ROOT, check=True
    )
    seconds = time.perf_counter() - started
    with sqlite3.connect(copy) as conn:
        rows = conn.execute("SELECT count(*) FROM analytics_reportday").fetchone()[0]
    meta.write_text(json.dumps([seconds, rows]))
    return str(copy), seconds, rows


def plan(db: str) -> dict[str, str]:
    """The views to time: each chart's page under the filters a visitor uses, and a CSV."""
    with sqlite3.connect(db) as conn:
        district = conn.execute(
            "SELECT district_id FROM reports_report GROUP BY district_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        category = conn.execute(
            "SELECT category_id FROM reports_report GROUP BY category_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    return {
        "/stats/ (last year)": "/stats/",
        "/stats/ (last 30 days)": "/stats/?period=30d",
        "/stats/ (a district)": f"/stats/?district={district}",
        "/stats/ (a category, a quarter)": f"/stats/?category={category}&period=quarter",
        "/stats/csv/heatmap/": "/stats/csv/heatmap/",
        "/stats/csv/resolution/ (a district)": f"/stats/csv/resolution/?district={district}",
        "/performance/ (last 30 days)": "/performance/",
        "/performance/ (last year)": "/performance/?period=year",
    }


def section(reports: int, seconds: float, rows: int, results: list[Result], memory: str) -> list[str]:
    lines = [
        SECTION,
        "",
        f"`uv run --frozen python -m bench.stats --reports {reports}` on {time.strftime('%Y-%m-%d')}: "
        f"a city of {reports:,} reports. `gorod stats_rollup --rebuild` wrote {rows:,} daily rows in "
        f"{seconds:.0f} s. "
        f"Each view asked {bench_run.ITERATIONS} times from one keep-alive connection to `gorod serve` "
        f"(gunicorn, 1 worker) after {WARMUP} warm-up requests.",
        "",
        "| view | p50 | p90 | p99 | target | result |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.error:
            lines.append(f"| {r.name} | — | — | — | {r.target} | error: {r.error} |")
            continue
        verdict = "pass" if r.passed else "FAIL"
        times = " | ".join(f"{r.p(q):.1f} ms" for q in (0.5, 0.9, 0.99))
        lines.append(f"| {r.name} | {times} | {r.target} | {verdict} |")
    lines += [
        "",
        f"Server memory after the run: {memory}. The worker holds the rollups as numpy columns "
        "(analytics.stats.cube) and the map index (reports.clustering) for the heatmap.",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=bench_run.ITERATIONS)
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--reuse-rollups", action="store_true", help="reuse an earlier run's roll-up")
    args = parser.parse_args()
    bench_run.ITERATIONS = args.iterations
    db, seconds, rows = rolled_copy(args.reports, reuse=args.reuse_rollups)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    server = Server(1)
    results: list[Result] = []
    try:
        server.wait_ready()
        client = Client(server.port)
        for name, path in plan(db).items():
            log(f"timing {name}")
            check = expect(200, lambda body: b"<svg" in body or b"," in body, "a chart or a CSV")
            results.append(
                timed(name, "gunicorn, 1 worker", lambda p: client.request("GET", p), [path],
                      warmup=WARMUP, check=check, target_ms=TARGET_MS)
            )  # fmt: skip
        client.close()
        memory = server.memory()
    finally:
        server.stop()
    lines = section(args.reports, seconds, rows, results, memory)
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, lines)
        log(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
