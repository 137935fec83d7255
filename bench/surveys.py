"""Survey results benchmark (issue 11, item 5): a survey of six questions (one of each kind) with
--responses responses (50,000 by default), on its own SQLite file (built once, cached in var/bench/);
the figure is the time of selectors.results (what the results page reads), p50 and p95 over
--iterations runs, against the target of 200 ms. Figures go to the "Survey results" section of
bench/RESULTS.md (replaced on every run, other sections kept).

    uv run --frozen python -m bench.surveys [--responses N] [--iterations N] [--no-write]

The responses are written with bulk_create, not the service (that is the slow, checked path; this measures
reading); the questions are made through the services."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Survey results"
TARGET_MS = 200
SEED = 11


def _setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gorod.settings")
    os.environ.setdefault("GOROD_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def build(db: Path, responses: int) -> None:
    """A fresh database with one city, one project, the survey and its responses."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gorod.accounts.models import User
    from gorod.city.models import Municipality
    from gorod.consultations.services import NewPhase, module_add, project_create
    from gorod.consultations.surveys.models import SurveyAnswer, SurveyResponse
    from gorod.consultations.surveys.services import question_add
    from gorod.core import clock

    city = Municipality.objects.create(
        name="Bench", slug="bench", jurisdiction_id="bench", center_lat=59.94, center_lon=30.31
    )
    admin = User.objects.create_user(username="bench-admin", password=None, role=User.Role.CITY_ADMIN)
    now = clock.now()
    project = project_create(
        municipality=city,
        slug="survey",
        title="Survey",
        published=True,
        phase_list=[
            NewPhase(title="Open", starts=now - dt.timedelta(days=1), ends=now + dt.timedelta(days=3650))
        ],
    )
    module = module_add(phase=project.phase_list()[0], kind="survey", title="Survey")
    options = [f"Option {i}" for i in range(5)]
    q = [
        question_add(module=module, actor=admin, kind="single", text="Single", options=options),
        question_add(module=module, actor=admin, kind="multiple", text="Multiple", options=options),
        question_add(module=module, actor=admin, kind="scale", text="Scale", scale_max=10),
        question_add(module=module, actor=admin, kind="ranking", text="Ranking", options=options[:4]),
        question_add(module=module, actor=admin, kind="text", text="Text", required=False),
        question_add(module=module, actor=admin, kind="point", text="Point", required=False),
    ]
    rng = random.Random(SEED)
    batch = 5000
    for start in range(0, responses, batch):
        made = SurveyResponse.objects.bulk_create(
            [SurveyResponse(module=module, created=now) for _ in range(min(batch, responses - start))]
        )
        rows = []
        for r in made:
            rows.append(SurveyAnswer(response=r, question=q[0], option=rng.randrange(5)))
            rows += [SurveyAnswer(response=r, question=q[1], option=o) for o in rng.sample(range(5), 2)]
            rows.append(SurveyAnswer(response=r, question=q[2], number=rng.randint(0, 10)))
            places = rng.sample(range(1, 5), 4)
            rows += [
                SurveyAnswer(response=r, question=q[3], option=i, number=p) for i, p in enumerate(places)
            ]
            if rng.random() < 0.3:
                rows.append(SurveyAnswer(response=r, question=q[4], text="Some words"))
            if rng.random() < 0.3:
                rows.append(SurveyAnswer(response=r, question=q[5], lat=59.94, lon=30.31))
        SurveyAnswer.objects.bulk_create(rows, batch_size=2000)


def child(db: str, responses: int, iterations: int) -> None:
    path = Path(db)
    fresh = not path.exists()
    _setup(path)
    if fresh:
        build(path, responses)
    from django.db import connection

    from gorod.consultations.models import Module
    from gorod.consultations.surveys import selectors

    module = Module.objects.get(kind="survey")
    connection.cursor().execute("ANALYZE")
    selectors.results(module)  # warm the connection and the page cache
    times = []
    for _ in range(iterations):
        started = time.perf_counter()
        total, _results = selectors.results(module)
        times.append((time.perf_counter() - started) * 1000)
    assert total == responses, f"{total} responses in the cached database, asked for {responses}"
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"RESULT {total} {statistics.median(times):.1f} {p95:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Survey results benchmark")
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--dir", default=str(ROOT / "var" / "bench"), help="where the database is cached")
    args = parser.parse_args(argv)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"surveys-{args.responses}.sqlite3"
    # A child process: Django is set up on the benchmark database only, never on the caller's.
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.surveys",
            "--child",
            str(db),
            str(args.responses),
            str(args.iterations),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    _, total, p50, p95 = next(line for line in out.splitlines() if line.startswith("RESULT")).split()
    verdict = "met" if float(p50) <= TARGET_MS else "MISSED"
    lines = [
        SECTION,
        "",
        f"selectors.results on SQLite, {int(total):,} responses × 6 questions, {args.iterations} runs:",
        "",
        "| figure | ms | target |",
        "|---|---|---|",
        f"| p50 | {p50} | ≤ {TARGET_MS} ({verdict}) |",
        f"| p95 | {p95} | |",
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, lines)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(main())
