"""Map feedback benchmark (issue 11, item 5): a map-feedback module of --contributions contributions
(100,000 by default) in a project of the St Petersburg demo city, on SQLite; the p50 of the sentiment
heatmap (the default and a coarse resolution), the project page and the module page, each ≤ 50 ms. The
export is timed too (no target: it is a download). Figures go to the "Map feedback" section of
bench/RESULTS.md (replaced on every run, other sections kept).

    uv run --frozen python -m bench.consultations [--contributions N] [--runs N] [--var DIR] [--no-write]

The database is built once per size in var/bench/ (or --var) and reused. Contributions are written in
bulk (the services would take minutes for 100,000 and time the writes, not the reads), with what the
services store: a valid shape inside the project's district, its representative point and H3 cell, a
sentiment, answers, tags, a few hidden, some paper. Requests go through django.test.Client in this
process, so the figures are the application's own time (no HTTP server, no network)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench.lean import ensure_static
from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Map feedback (consultations)"
TARGET_MS = 50.0
SEED = 11
BUILD_VERSION = "1"  # raise when build() changes what it writes: cached databases are then rebuilt


def log(message: str) -> None:
    print(f"[bench.consultations {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _key(n: int) -> str:
    h = hashlib.sha256(f"{n}:{SEED}".encode())
    for migration in sorted((ROOT / "src/gorod").glob("*/migrations/0*.py")):
        h.update(migration.name.encode())
    h.update(BUILD_VERSION.encode())
    return h.hexdigest()[:12]


def _setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["GOROD_DEBUG"] = "0"
    os.environ["GOROD_RATE_LIMITS_ENABLED"] = "0"
    os.environ["GOROD_STATIC_ROOT"] = str(ensure_static())  # pages link hashed names from its manifest
    os.environ.setdefault("GOROD_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gorod.settings")
    import django

    django.setup()


def build(n: int) -> dict:
    """The city, a published project with an open phase and a map module, and n contributions."""
    import datetime as dt

    import numpy as np
    import shapely
    from django.core.management import call_command

    from gorod.accounts.models import User
    from gorod.city.services import city_import_file
    from gorod.consultations import services
    from gorod.consultations.map_feedback import services as map_services
    from gorod.consultations.map_feedback.models import MapContribution
    from gorod.core import clock, geo
    from gorod.demo.city import SPB_FILE

    call_command("migrate", verbosity=0)
    city = city_import_file(SPB_FILE)
    district = city.districts.order_by("slug").first()
    shape = geo.geometry_from_geojson(district.boundary)
    admin = User.objects.create_user(username="bench-admin", role=User.Role.CITY_ADMIN)
    now = clock.now()
    project = services.project_create(
        municipality=city,
        slug="bench-park",
        title="Bench park",
        district=district,
        area=shapely.geometry.mapping(shape.envelope.intersection(shape).buffer(0)),
        published=True,
        phase_list=[
            services.NewPhase(
                title="Open", starts=now - dt.timedelta(days=30), ends=now + dt.timedelta(days=3650)
            )
        ],
    )
    module = services.module_add(phase=project.phase_list()[0], kind="map_feedback", title="Map")
    map_services.settings_set(
        module=module, staff=admin, questions_text="Why?\nWhat? | A | B | C", tags_text="a, b, c"
    )
    rng = np.random.default_rng(SEED)
    west, south, east, north = shape.bounds
    lats: list[float] = []
    lons: list[float] = []
    while len(lats) < n:
        lon = rng.uniform(west, east, n)
        lat = rng.uniform(south, north, n)
        inside = shapely.contains_xy(shape, lon, lat)
        lats += lat[inside].round(6).tolist()
        lons += lon[inside].round(6).tolist()
    sentiments = rng.integers(1, 6, n).tolist()
    rows = []
    for i in range(n):
        lat, lon = lats[i], lons[i]
        rows.append(
            MapContribution(
                module=module,
                author=None if i % 20 == 0 else admin,
                shape="point",
                geometry={"type": "Point", "coordinates": [lon, lat]},
                lat=lat,
                lon=lon,
                cell=geo.cell_of(lat, lon),
                sentiment=sentiments[i],
                comment="Bench comment" if i % 3 == 0 else "",
                answers={"q1": "because"} if i % 2 == 0 else {},
                tags=["a"] if i % 4 == 0 else [],
                paper=i % 20 == 0,
                hidden=i % 97 == 0,
                hidden_reason="spam" if i % 97 == 0 else "",
                agree_count=i % 7,
                created=now - dt.timedelta(seconds=n - i),
            )
        )
        if len(rows) == 5000:
            MapContribution.objects.bulk_create(rows)
            rows = []
    MapContribution.objects.bulk_create(rows)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"slug": project.slug, "module": module.pk}


def measure(plan: dict, runs: int) -> dict:
    from django.test import Client

    from gorod.consultations.map_feedback.selectors import heatmap_changed

    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    base = f"/projects/{plan['slug']}/"
    module = f"{base}map/{plan['module']}/"
    targets = {
        "heatmap (resolution 9)": (f"{module}heatmap.geojson", TARGET_MS),
        "heatmap (resolution 9) just after a change (not cached)": (f"{module}heatmap.geojson", None),
        "heatmap (resolution 7)": (f"{module}heatmap.geojson?res=7", TARGET_MS),
        "project page": (base, TARGET_MS),
        "map feedback page": (module, TARGET_MS),
        "GeoJSON export (all visible)": (f"{module}contributions.geojson", None),
    }
    figures = {}
    for name, (url, target) in targets.items():
        times = []
        size = 0
        count = runs if target else max(1, runs // 20)
        fresh = "not cached" in name
        if "export" in name:
            count = max(1, min(count, 3))
        for i in range(count + 2):
            if fresh:  # as a new contribution does: the next request computes the heatmap again
                heatmap_changed(plan["module"])
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            size = len(response.content)
            if i >= 2:  # two warm-up requests
                times.append(elapsed)
        times.sort()
        figures[name] = {
            "url": url,
            "n": len(times),
            "p50": statistics.median(times),
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "bytes": size,
            "target": target,
        }
        log(f"{name}: p50 {figures[name]['p50']:.1f} ms")
    return figures


def section(n: int, figures: dict) -> list[str]:
    lines = [
        SECTION,
        "",
        f"`uv run --frozen python -m bench.consultations --contributions {n}` "
        f"on {time.strftime('%Y-%m-%d')}: "
        f"one map-feedback module with {n:,} contributions on SQLite; django.test.Client in process "
        "(the application's time, no HTTP server).",
        "",
        "| request | n | p50 | p95 | answer size | target | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, f in figures.items():
        target = f"p50 ≤ {f['target']:g} ms" if f["target"] else "—"
        result = ("meets" if f["p50"] <= f["target"] else "misses") if f["target"] else ""
        lines.append(
            f"| {name} | {f['n']} | {f['p50']:.1f} ms | {f['p95']:.1f} ms | {f['bytes'] / 1024:.0f} KiB "
            f"| {target} | {result} |"
        )
    lines += [
        "",
        "The heatmap is one GROUP BY over the index (module, hidden, awaiting, cell, sentiment) at the "
        "stored H3 resolution 10, then numpy folds the cells into their parents at the asked "
        "resolution. Its encoded answer and the module's counts are cached under a version every write "
        "to the module changes (and for 60 s at most), so between contributions the heatmap is a cache "
        "read; the row *just after a change* is the computation itself, which the first request after "
        "each contribution pays. The module page reads the newest 20 contributions by id; the export "
        "streams every visible row (a download, no target).",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--var", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    args.var.mkdir(parents=True, exist_ok=True)
    db = args.var / f"consultations-{args.contributions}-{_key(args.contributions)}.sqlite3"
    plan_file = db.with_suffix(".json")
    fresh = not (db.exists() and plan_file.exists())
    if fresh:
        for old in args.var.glob(f"consultations-{args.contributions}-*"):
            old.unlink()
    _setup(db)
    if fresh:
        log(f"building {args.contributions:,} contributions into {db.name} (once; later runs reuse it)")
        plan_file.write_text(json.dumps(build(args.contributions)))
    plan = json.loads(plan_file.read_text())
    figures = measure(plan, args.runs)
    if not args.no_write:
        write_section(SECTION, section(args.contributions, figures))
    print(json.dumps({name: {k: v for k, v in f.items() if k != "url"} for name, f in figures.items()}))
    missed = [name for name, f in figures.items() if f["target"] and f["p50"] > f["target"]]
    return 1 if missed and args.contributions >= 100_000 else 0


if __name__ == "__main__":
    raise SystemExit(main())
