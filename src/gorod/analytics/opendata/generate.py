"""Regenerating a municipality's open-data files (the worker's daily job, analytics.tasks).

Reports are read with .values_list(...).iterator(chunk_size) — a server-side cursor, one chunk in memory —
and written row by row, so a city with millions of reports stays in bounded memory. Every file is written
to a temporary file and renamed into place; the manifest (rows, sizes, times) is written last. Running it
again gives the same files for the same data (idempotent)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import h3
from django.conf import settings

from gorod.analytics import selectors
from gorod.analytics.opendata import consultations as consult_rows
from gorod.analytics.opendata import files
from gorod.analytics.opendata.dictionary import (
    CONSULTATION_MAP,
    CONSULTATION_PROJECTS,
    CONSULTATION_SURVEYS,
    PB_BALLOTS,
    PB_RESULTS,
    PERFORMANCE,
    REPORTS,
)
from gorod.analytics.performance import performance
from gorod.budgeting import exchange, pabulib
from gorod.budgeting import selectors as pb_selectors
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Process
from gorod.city.models import Department, District, Municipality
from gorod.core import clock
from gorod.reports import selectors as report_selectors
from gorod.reports.workflow import Status

CHUNK = 5000
COARSE_RESOLUTION = 9
# A file name on /data/<city>/<file>: what the generator writes, and all the download view accepts.
FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,150}\.(csv|geojson|json|pb)$")
MANIFEST = "manifest.json"


class SandboxHasNoOpenData(ValueError):
    """A training sandbox publishes nothing (docs/sandbox.md)."""


def published_cities():
    """The municipalities open data is written for: all but training sandboxes."""
    return Municipality.objects.filter(is_sandbox=False).order_by("slug")


def data_dir() -> Path:
    return Path(settings.GOROD_OPEN_DATA_DIR)


def city_dir(municipality: Municipality) -> Path:
    return data_dir() / municipality.slug


def open_reports(municipality: Municipality):
    """The reports open data may hold: the public ones, less rejected reports and anonymous ones not yet
    moderated — always, whatever the city's hide_anonymous_until_moderated says, because a file once
    downloaded cannot be taken back when a moderator rejects the report the next day."""
    return (
        report_selectors.public_reports(municipality)
        .exclude(status=Status.REJECTED)
        .exclude(report_selectors.unmoderated_anonymous())
        .exclude(status=Status.SUBMITTED, anonymous=True)
    )


REPORT_COLUMNS = (
    "id", "category__service_code", "category__name", "district__slug", "department__slug", "status",
    "created", "closed_at", "deadline", "lat", "lon", "h3", "anonymous",
)  # fmt: skip


def _iso(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else ""


def report_rows(municipality: Municipality) -> Iterator[list[Any]]:
    """One list per report, in REPORTS.fields order; never a personal field (none is even selected)."""
    qs = open_reports(municipality).order_by("pk").values_list(*REPORT_COLUMNS)
    for (
        pk,
        code,
        category,
        district,
        department,
        status,
        created,
        closed,
        deadline,
        lat,
        lon,
        cell,
        anon,
    ) in qs.iterator(chunk_size=CHUNK):
        parent = h3.cell_to_parent(h3.int_to_str(cell), COARSE_RESOLUTION)
        if anon:
            lat, lon = h3.cell_to_latlng(parent)
            precision = "h3-9"
        else:
            precision = "exact"
        yield [
            pk, code, category, district, department or "", status, _iso(created), _iso(closed),
            deadline.isoformat() if deadline else "", round(lat, 6), round(lon, 6), precision, parent,
        ]  # fmt: skip


REPORT_FIELDS = [f.name for f in REPORTS.fields]
LAT, LON = REPORT_FIELDS.index("lat"), REPORT_FIELDS.index("lon")


def _feature(row: list[Any]) -> dict[str, Any]:
    properties = {k: v for k, v in zip(REPORT_FIELDS, row, strict=True) if k not in ("lat", "lon")}
    lat, lon = row[LAT], row[LON]
    return {
        "type": "Feature",
        "id": row[0],
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def performance_rows(municipality: Municipality, today: dt.date) -> list[list[Any]]:
    first = today - dt.timedelta(days=364)
    perf = performance(municipality, first, today)
    slugs = {
        "department": dict(Department.objects.filter(municipality=municipality).values_list("pk", "slug")),
        "district": dict(District.objects.filter(municipality=municipality).values_list("pk", "slug")),
    }
    out = []
    for group in ("department", "district"):
        for row in selectors.rows(perf, municipality, group, "received"):
            f = row.figures
            out.append(
                [
                    group, slugs[group].get(row.key, ""), row.name, first.isoformat(), today.isoformat(),
                    f.received, f.resolved, f.on_time, _num(f.on_time_share, 4), _num(f.median_days, 1),
                    f.resolutions, f.disputes, _num(f.disputed_share, 4), _num(f.satisfaction, 2), f.ratings,
                ]
            )  # fmt: skip
    return out


def _num(v: float | None, places: int) -> float | None:
    return None if v is None else round(v, places)


def closed_processes(municipality: Municipality):
    """Processes whose vote is over: shown on the site and with results published."""
    return (
        Process.objects.filter(municipality=municipality, published=True, results_published__isnull=False)
        .prefetch_related("budgets__district")
        .order_by("slug")
    )


def pb_result_rows(municipality: Municipality) -> list[list[Any]]:
    out = []
    for process in closed_processes(municipality):
        for budget in process.budgets.all():
            scope = budget.district.slug if budget.district is not None else "city"
            data = pb_selectors.scope_results(process, budget)
            for bar in sorted(data.bars, key=lambda b: b.project.code):
                out.append(
                    [
                        process.slug, process.title, scope, process.tally_rule, bar.project.code,
                        bar.project.title, str(bar.project.cost), bar.votes, bar.score, int(bar.funded),
                    ]
                )  # fmt: skip
    return out


def _json_row(fields, row: list[Any]) -> dict[str, Any]:
    return {f.name: (None if v == "" else v) for f, v in zip(fields, row, strict=True)}


def _ballot_files(municipality: Municipality, target: Path) -> dict[str, dict[str, Any]]:
    written: dict[str, dict[str, Any]] = {}
    for process in closed_processes(municipality):
        for budget in process.budgets.all():
            scope = budget.district.slug if budget.district is not None else "city"
            name = f"pb-ballots-{process.slug}-{scope}.pb".lower()
            if not FILE_NAME.match(name):
                continue  # a slug a URL could not carry; the results page still offers it
            try:
                data, votes = exchange.scope_file_streaming(process, budget.district)
            except Refused:
                continue
            # Ballots go from a chunked cursor to the file: their number grows with the voters.
            with files.atomic_file(target / name) as out:
                n = pabulib.dump(data, out, votes)
            written[name] = {"dataset": PB_BALLOTS.name, "format": "pb", "rows": n}
    return written


def _write_reports(municipality: Municipality, target: Path) -> int:
    """reports.csv and reports.geojson from one pass over the reports, so both hold the same rows (a
    transaction around two passes would hold SQLite's write lock for minutes)."""
    n = 0
    with (
        files.atomic_file(target / "reports.csv") as out_csv,
        files.atomic_file(target / "reports.geojson") as out_geo,
    ):
        writer = csv.writer(out_csv, lineterminator="\r\n")
        writer.writerow([f.name for f in REPORTS.fields])
        out_geo.write('{"type":"FeatureCollection","features":[')
        for row in report_rows(municipality):
            writer.writerow([files.safe_cell(v) for v in row])
            out_geo.write(
                ("," if n else "")
                + "\n"
                + json.dumps(_feature(row), ensure_ascii=False, separators=(",", ":"))
            )
            n += 1
        out_geo.write("\n]}\n")
    return n


def _consultation_files(municipality: Municipality, target: Path) -> dict[str, dict[str, Any]]:
    """The map feedback GeoJSON (streamed from a chunked cursor) and the survey counts CSV; the projects
    file goes with the other small tables in generate()."""
    name = f"{CONSULTATION_MAP.name}.geojson"
    n = files.write_json_array(
        target / name, {"type": "FeatureCollection"}, "features", consult_rows.map_features(municipality)
    )
    written = {name: {"dataset": CONSULTATION_MAP.name, "format": "geojson", "rows": n}}
    name = f"{CONSULTATION_SURVEYS.name}.csv"
    n = files.write_csv(
        target / name, [f.name for f in CONSULTATION_SURVEYS.fields], consult_rows.survey_rows(municipality)
    )
    written[name] = {"dataset": CONSULTATION_SURVEYS.name, "format": "csv", "rows": n}
    return written


STALE_TMP_S = 6 * 3600  # far longer than a run takes, so a run going on in another worker keeps its files


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files a killed run left behind (atomic_file removes its own on any error it sees)."""
    cutoff = clock.now().timestamp() - STALE_TMP_S
    for tmp in target.glob(".*.tmp"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass


def generate(municipality: Municipality) -> dict[str, Any]:
    """Write every dataset of the municipality; return the manifest (also written as manifest.json).
    Refuses a training sandbox, whose made-up reports must never look like a city's data."""
    if municipality.is_sandbox:
        raise SandboxHasNoOpenData(municipality.slug)
    target = city_dir(municipality)
    target.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target)
    today = clock.today(ZoneInfo(municipality.timezone))
    entries: dict[str, dict[str, Any]] = {}

    n = _write_reports(municipality, target)
    entries["reports.csv"] = {"dataset": REPORTS.name, "format": "csv", "rows": n}
    entries["reports.geojson"] = {"dataset": REPORTS.name, "format": "geojson", "rows": n}

    for dataset, rows in (
        (PERFORMANCE, performance_rows(municipality, today)),
        (PB_RESULTS, pb_result_rows(municipality)),
        (CONSULTATION_PROJECTS, consult_rows.project_rows(municipality)),
    ):
        names = [f.name for f in dataset.fields]
        n = files.write_csv(
            target / f"{dataset.name}.csv", names, ([("" if v is None else v) for v in r] for r in rows)
        )
        entries[f"{dataset.name}.csv"] = {"dataset": dataset.name, "format": "csv", "rows": n}
        n = files.write_json_array(
            target / f"{dataset.name}.json",
            {"dataset": dataset.name, "municipality": municipality.slug},
            "rows",
            (_json_row(dataset.fields, r) for r in rows),
        )
        entries[f"{dataset.name}.json"] = {"dataset": dataset.name, "format": "json", "rows": n}

    entries.update(_consultation_files(municipality, target))

    ballots = _ballot_files(municipality, target)
    entries.update(ballots)
    # Ballot files of processes no longer published (or renamed) must not stay downloadable.
    for old in target.glob("pb-ballots-*.pb"):
        if old.name not in ballots:
            old.unlink(missing_ok=True)

    for name, entry in entries.items():
        stat = (target / name).stat()
        entry["bytes"] = stat.st_size
        entry["modified"] = _iso(dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC))
    manifest = {"municipality": municipality.slug, "generated": _iso(clock.now()), "files": entries}
    files.write_text(target / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return manifest


def read_manifest(municipality: Municipality) -> dict[str, Any] | None:
    """The manifest of the files last written; None for a training sandbox whatever the disk holds (a
    municipality made a sandbox after its files were written keeps nothing downloadable)."""
    if municipality.is_sandbox:
        return None
    try:
        return json.loads((city_dir(municipality) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def generate_all() -> dict[str, int]:
    """Every published municipality's files; returns the number of files written per municipality."""
    return {m.slug: len(generate(m)["files"]) for m in published_cities()}
