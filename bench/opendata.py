"""Open-data generation benchmark (issue 13, item 8): every dataset of the benchmark city (bench.run's
database of --reports reports, 1,000,000 by default, built once and cached in var/bench/) written the
way the worker's daily job writes it, in a child process whose peak resident set (VmHWM, and
resource.getrusage's ru_maxrss), and its private memory (RssAnon, sampled) are the figures; the target,
≤ 300 MB, is judged on the private memory (see the note the section ends with). Figures go to the "Open data
generation" section of bench/RESULTS.md (replaced on every run, other sections kept).

    uv run --frozen python -m bench.opendata [--reports N] [--tracemalloc] [--no-write]

--tracemalloc also reports the Python heap's peak (slower: every allocation is traced). The database is
only read; the files go to a temporary directory that is removed afterwards."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.results import RESULTS, write_section
from bench.run import ROOT, ensure_database, log

SECTION = "## Open data generation"
TARGET_MB = 300


def child(out_dir: str, trace: bool) -> None:
    """Runs in its own process: Django set up on the benchmark database, then generate()."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gorod.settings")
    import django

    django.setup()
    import tracemalloc

    from django.conf import settings

    from gorod.analytics.opendata.generate import generate, published_cities

    settings.GOROD_OPEN_DATA_DIR = Path(out_dir)
    before = _status()
    if trace:
        tracemalloc.start()
    # The kernel keeps no peak of the private (anonymous) memory alone, so sample it.
    peak_anon = [before.get("RssAnon", 0)]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak_anon[0] = max(peak_anon[0], _status().get("RssAnon", 0))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    files = {}
    for municipality in published_cities():  # as the worker's job: training sandboxes have none
        files.update(generate(municipality)["files"])
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    after = _status()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rss_before_kib": before.get("VmRSS", 0),
                "hwm_kib": after.get("VmHWM", 0),
                "anon_peak_kib": max(peak_anon[0], after.get("RssAnon", 0)),
                "anon_before_kib": before.get("RssAnon", 0),
                "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "tracemalloc_peak_bytes": traced,
                "files": {name: {"rows": e["rows"], "bytes": e["bytes"]} for name, e in files.items()},
            }
        )
    )


def _status() -> dict[str, int]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS", "RssAnon"):
            out[key] = int(value.split()[0])
    return out


def section(reports: int, figures: dict) -> list[str]:
    peak_mb = figures["anon_peak_kib"] / 1024
    lines = [
        SECTION,
        "",
        f"`uv run --frozen python -m bench.opendata --reports {reports}` on {time.strftime('%Y-%m-%d')}: "
        f"every dataset of a city of {reports:,} reports written as the worker's daily job writes it "
        "(streaming: chunked server-side cursor, csv writer to a temporary file, atomic rename).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| time | {figures['seconds']:.1f} s |",
        f"| peak private memory (RssAnon, sampled every 20 ms) | {peak_mb:.0f} MB "
        f"({'meets' if peak_mb <= TARGET_MB else 'misses'} the ≤ {TARGET_MB} MB target) |",
        f"| private memory before generating (Django set up) | {figures['anon_before_kib'] / 1024:.0f} MB |",
        f"| peak resident set (VmHWM, with the mapped database file) | {figures['hwm_kib'] / 1024:.0f} MB |",
    ]
    if figures.get("tracemalloc_peak_bytes") is not None:
        heap_mb = figures["tracemalloc_peak_bytes"] / 2**20
        lines.append(f"| Python heap peak (tracemalloc) | {heap_mb:.1f} MB |")
    lines += ["", "| file | rows | size |", "|---|---|---|"]
    for name, entry in sorted(figures["files"].items()):
        lines.append(f"| {name} | {entry['rows']:,} | {entry['bytes'] / 2**20:.1f} MB |")
    lines += [
        "",
        "The target is judged on private memory: VmHWM also counts the SQLite database file mapped into the "
        "process (`mmap_size` 256 MiB, shared and reclaimable page cache) and SQLite's page cache "
        "(`cache_size` 64 MiB), which stay the same whatever the number of reports.",
    ]
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs=2, metavar=("DIR", "TRACE"), help=argparse.SUPPRESS)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap (slower)")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1] == "1")
        return
    db, _meta = ensure_database(args.reports, rebuild=False, raw=False)
    with tempfile.TemporaryDirectory(prefix="gorod-opendata-") as out:
        log(f"generating open data from {db.name}")
        env = os.environ | {"DATABASE_URL": f"sqlite:///{db}", "GOROD_LOG_LEVEL": "WARNING"}
        cmd = [sys.executable, "-m", "bench.opendata", "--child", out, "1" if args.tracemalloc else "0"]
        done = subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
    lines = section(args.reports, figures)
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, lines)
        log(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
