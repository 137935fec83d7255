"""Publishing participatory-budgeting results from the database: `results_publish` on a SQLite file
with --voters synthetic approval ballots (bench.pb's generator, with a receipt each, as cast in Gorod)
and mes-add1 as the process's rule (greedy and MES run beside it for the results page).

    uv run --frozen python -m bench.pb_db [--voters N] [--rebuild]

While it publishes, another connection takes SQLite's write lock (BEGIN IMMEDIATE; COMMIT) every
10 ms, as any write elsewhere in the city would: the longest of those waits is how long the publication
kept the city from writing. The database is built once per size under var/bench/ (a fresh migrated
file, the test city, one process whose vote has closed); publishing again replaces the results, so
every run starts from the same data. Prints one JSON line; RESULTS.md is left alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.pb import CACHE, ROOT, log, synthetic, vm_kib

CITY = ROOT / "tests" / "data" / "test_city.yaml"
RULE = "mes-add1"


def database(voters: int) -> Path:
    h = hashlib.sha256(f"{voters}:{RULE}".encode())
    for migration in sorted((ROOT / "src/gorod").glob("**/migrations/0*.py")):
        h.update(migration.read_bytes())
    return CACHE / f"pb-db-{voters}-{h.hexdigest()[:12]}.sqlite3"


def _django(path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gorod.settings")
    import django

    django.setup()


def build(path: Path, voters: int) -> None:
    """A process whose vote closed yesterday, its projects and `voters` ballots with receipts."""
    _django(path)
    from django.core.management import call_command
    from django.db import connection

    from gorod.budgeting.models import Project
    from gorod.budgeting.services import NewPhase, process_create
    from gorod.city.services import city_import_file
    from gorod.core import clock

    call_command("migrate", verbosity=0, interactive=False)
    city = city_import_file(CITY)
    election = synthetic(voters)
    day = dt.timedelta(days=1)
    closed = clock.now() - day
    process = process_create(
        municipality=city,
        slug="bench",
        title="Bench",
        budgets=[(None, election.budget)],
        phase_list=[
            NewPhase(kind="ballot", starts=closed - 10 * day, ends=closed),
            NewPhase(kind="results", starts=closed, ends=closed + 100 * day),
        ],
        tally_rule=RULE,
    )
    Project.objects.bulk_create(
        Project(process=process, code=code, title=code, cost=int(cost), status="on_ballot", order=j)
        for j, (code, cost) in enumerate(zip(election.project_ids, election.costs.tolist(), strict=True))
    )
    ids = election.project_ids
    indptr, indices = election.indptr.tolist(), election.indices.tolist()
    chunk = 50_000
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        for lo in range(0, voters, chunk):
            hi = min(lo + chunk, voters)
            cursor.executemany(
                "INSERT INTO budgeting_ballot (id, process_id, choices, voter_label, extra)"
                " VALUES (%s, %s, %s, '', '{}')",
                [
                    (i + 1, process.pk, json.dumps([ids[j] for j in indices[indptr[i] : indptr[i + 1]]]))
                    for i in range(lo, hi)
                ],
            )
            cursor.executemany(
                "INSERT INTO budgeting_receipt (process_id, receipt_hash, ballot_id) VALUES (%s, %s, %s)",
                [(process.pk, hashlib.sha256(b"r%d" % i).hexdigest(), i + 1) for i in range(lo, hi)],
            )
            log(f"{hi:,} ballots")
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA journal_mode=WAL")


def measure(path: Path) -> dict:
    """Publish once, with a writer probing the lock beside it."""
    _django(path)
    from gorod.budgeting.models import Process, Result
    from gorod.budgeting.services import results_publish

    waits: list[float] = []
    done = threading.Event()

    def writer() -> None:
        probe = sqlite3.connect(path, timeout=3600, isolation_level=None)
        while not done.is_set():
            start = time.perf_counter()
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("COMMIT")
            waits.append(time.perf_counter() - start)
            done.wait(0.01)
        probe.close()

    process = Process.objects.get(slug="bench")
    thread = threading.Thread(target=writer)
    thread.start()
    start = time.perf_counter()
    results_publish(process=process)
    seconds = time.perf_counter() - start
    done.set()
    thread.join()
    tallies = dict(Result.objects.filter(process=process).values_list("rule", "seconds"))
    return {
        "publish_seconds": round(seconds, 3),
        "tally_seconds": {rule: round(s, 3) for rule, s in tallies.items()},
        "longest_write_wait": round(max(waits, default=0.0), 3),
        "writes_during_publish": len(waits),
        "peak_mib": round(vm_kib("VmHWM") / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--worker", nargs=2, metavar=("STEP", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        step, path = args.worker
        if step == "build":
            build(Path(path), args.voters)
        else:
            print(json.dumps(measure(Path(path))))
        return
    path = database(args.voters)
    if args.rebuild or not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob(f"{path.name}*"):
            old.unlink()
        log(f"building {path.name}")
        tmp = path.with_suffix(".building")
        command = [sys.executable, "-m", "bench.pb_db", "--voters", str(args.voters), "--worker", "build"]
        subprocess.run([*command, str(tmp)], cwd=ROOT, check=True)
        tmp.rename(path)
    log(f"publishing {args.voters:,} ballots")
    command = [sys.executable, "-m", "bench.pb_db", "--worker", "measure", str(path)]
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    print(json.dumps({"voters": args.voters, **json.loads(done.stdout.strip().splitlines()[-1])}))


if __name__ == "__main__":
    main()
