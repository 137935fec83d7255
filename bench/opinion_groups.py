"""Opinion groups benchmark (issue 12, item 4): the groups of 10,000 participants × 1,000 statements
(--participants, --statements), sparse as real conversations are (each participant votes on a few dozen
statements, older statements seen more often; ~40 votes each on average, ~400,000 votes), with four
planted camps. Two figures, each the median of --runs runs, against the target of 10 s:

- the method alone (opinion_groups.method.compute: matrix, PCA, k-means, silhouette, counts,
  representative and consensus statements), from numpy arrays;
- the worker's whole recomputation (services.groups_recompute): reading the votes from SQLite, the method,
  and replacing the stored result (groups × statements share rows) — what the task does per module.

    uv run --frozen python -m bench.opinion_groups [--participants N] [--statements N] [--runs N] [--no-write]

The database is built once per size in var/bench/ (votes written with bulk_create: the service is the
checked path, this measures the computation) and reused. Figures go to the "Opinion groups" section of
bench/RESULTS.md (replaced on every run, other sections kept)."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Opinion groups"
TARGET_S = 10.0
SEED = 12
CAMPS = 4
MEAN_VOTES = 40


def votes(participants: int, statements: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(participant, statement, value) arrays with planted camps: each camp leans for or against each
    statement; a member follows the leaning with a probability that grows with its strength."""
    rng = np.random.default_rng(seed)
    per_person = np.clip(rng.geometric(1 / MEAN_VOTES, participants), 1, statements)
    popularity = 1 / (np.arange(statements) + 20.0)
    popularity /= popularity.sum()
    person = np.repeat(np.arange(participants), per_person)
    statement = np.concatenate([rng.choice(statements, n, replace=False, p=popularity) for n in per_person])
    camp = rng.integers(0, CAMPS, participants)
    lean = rng.normal(0, 1.5, (CAMPS, statements))
    agree_p = 1 / (1 + np.exp(-lean[camp[person], statement]))
    roll = rng.random(person.size)
    value = np.where(roll < 0.85 * agree_p, 1, np.where(roll < 0.85, -1, 0)).astype(np.int8)
    return person, statement, value


def _setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gorod.settings")
    os.environ.setdefault("GOROD_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def build(participants: int, statements: int) -> None:
    """A fresh database: one city, one open project with an opinion-groups module, its statements,
    the participants and their votes."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gorod.accounts.models import User
    from gorod.city.models import Municipality
    from gorod.consultations.opinion_groups.models import Statement, StatementVote
    from gorod.consultations.services import NewPhase, module_add, project_create
    from gorod.core import clock

    city = Municipality.objects.create(
        name="Bench", slug="bench", jurisdiction_id="bench", center_lat=59.94, center_lon=30.31
    )
    now = clock.now()
    project = project_create(
        municipality=city,
        slug="opinions",
        title="Opinions",
        published=True,
        phase_list=[
            NewPhase(title="Open", starts=now - dt.timedelta(days=1), ends=now + dt.timedelta(days=3650))
        ],
    )
    module = module_add(phase=project.phase_list()[0], kind="opinion_groups", title="Opinions")
    password = make_password(None)
    User.objects.bulk_create(
        [User(username=f"p{i}", role=User.Role.CITIZEN, password=password) for i in range(participants)],
        batch_size=2000,
    )
    users = list(User.objects.filter(username__startswith="p").order_by("pk").values_list("pk", flat=True))
    made = Statement.objects.bulk_create(
        [Statement(module=module, text=f"Statement number {j}") for j in range(statements)], batch_size=2000
    )
    ids = [s.pk for s in made]
    person, statement, value = votes(participants, statements)
    batch = 20_000
    for start in range(0, person.size, batch):
        StatementVote.objects.bulk_create(
            [
                StatementVote(statement_id=ids[s], user_id=users[p], choice=int(v), created=now, updated=now)
                for p, s, v in zip(
                    person[start : start + batch],
                    statement[start : start + batch],
                    value[start : start + batch],
                    strict=True,
                )
            ]
        )


def _median_seconds(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def child(db: str, participants: int, statements: int, runs: int) -> None:
    path = Path(db)
    fresh = not path.exists()
    _setup(path)
    if fresh:
        build(participants, statements)
    from django.db import connection

    from gorod.consultations.models import Module
    from gorod.consultations.opinion_groups import method, services

    person, statement, value = votes(participants, statements)
    outcome = method.compute(person, statement, value, statements)
    assert outcome is not None
    method_s = _median_seconds(lambda: method.compute(person, statement, value, statements), runs)
    module = Module.objects.get(kind="opinion_groups")
    connection.cursor().execute("ANALYZE")
    result = services.groups_recompute(module=module)
    worker_s = _median_seconds(lambda: services.groups_recompute(module=module), runs)
    print(
        f"RESULT {person.size} {outcome.k} {outcome.grouped} {outcome.silhouette:.3f} "
        f"{method_s:.2f} {worker_s:.2f} {result.votes}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Opinion groups benchmark")
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--dir", default=str(ROOT / "var" / "bench"), help="where the database is cached")
    args = parser.parse_args(argv)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"opinion-groups-{args.participants}x{args.statements}-v1.sqlite3"
    # A child process: Django is set up on the benchmark database only, never on the caller's.
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.opinion_groups",
            "--child",
            str(db),
            str(args.participants),
            str(args.statements),
            str(args.runs),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    _, n_votes, k, grouped, silhouette, method_s, worker_s, stored_votes = line.split()
    verdict = "met" if float(worker_s) <= TARGET_S else "MISSED"
    lines = [
        SECTION,
        "",
        f"{args.participants:,} participants × {args.statements:,} statements, {int(n_votes):,} votes "
        f"(sparse: ~{MEAN_VOTES} per participant on average, geometric; older statements seen more), "
        f"{CAMPS} planted camps; median of {args.runs} runs on SQLite. Found: {k} groups of "
        f"{int(grouped):,} participants with at least 7 votes (silhouette {silhouette}).",
        "",
        "| figure | s | target |",
        "|---|---|---|",
        f"| method alone (PCA, k-means, silhouette, counts, representative, consensus) | {method_s} | |",
        f"| worker's recomputation (read {int(stored_votes):,} votes from SQLite, method, store) "
        f"| {worker_s} | ≤ {TARGET_S:.0f} ({verdict}) |",
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, lines)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit(main())
