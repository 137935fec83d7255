"""Build the benchmark database: the demo city (src/gorod/demo/city/spb.yaml) and N reports over the
two years to now, with realistic places, categories, statuses and event histories.

Run in its own process, with DATABASE_URL naming the new SQLite file:
    DATABASE_URL=sqlite:///var/bench/x.sqlite3 python -m bench.generate --reports 1000000 --seed 1

`draw` decides every report with numpy: when (with seasonal ups and downs), what (a long-tailed mix of
categories, each only in its season), where (districts by population, 40% of points around hot spots),
how far its workflow got (by age) and when each step happened. The rows then go in through the project's
own bulk loader, gorod.reports.services.bulk.reports_load_history, which places, routes and dates each
one exactly as report_create does (~4,000 reports/s). --raw writes the same fields with executemany
instead (~20,000 reports/s; on 100,000 reports every computed field came out equal to the loader's), for
quick experiments. Secondary indexes are dropped during the load and rebuilt after it, then ANALYZE runs."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import numpy as np

DAY_US = 86_400_000_000
COORD_DECIMALS = 6  # what a report keeps of its position (about 10 cm)
STEP_GAPS_DAYS = [(0.05, 2.0), (0.1, 3.0), (1.0, 15.0), (0.5, 7.0), (0.1, 3.0)]
STREETS = [
    "Невский проспект",
    "Лиговский проспект",
    "Садовая улица",
    "Московский проспект",
    "улица Марата",
    "Гороховая улица",
    "проспект Просвещения",
    "Комендантский проспект",
    "проспект Ветеранов",
    "Большой проспект В.О.",
    "Каменноостровский проспект",
    "улица Савушкина",
    "проспект Стачек",
    "Заневский проспект",
    "Пулковское шоссе",
    "Гражданский проспект",
    "улица Дыбенко",
    "Наличная улица",
    "Бухарестская улица",
    "Индустриальный проспект",
]
PHRASES = [
    "Прошу принять меры.",
    "Проблема повторяется уже не первую неделю.",
    "Опасно для пешеходов, особенно детей.",
    "Жители дома неоднократно обращались в управляющую компанию.",
    "Фото прилагаю, место хорошо видно с тротуара.",
    "Просьба устранить в кратчайшие сроки.",
]


def _log(message: str) -> None:
    print(f"[generate {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _weighted(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(len(weights), size=n, p=weights / weights.sum())


# Final status by age of the report, for ages < 2 days, < 30 days and older (workflow.Status values).
STATUS_MIX = {
    "young": {"submitted": 0.60, "accepted": 0.25, "in_progress": 0.05, "rejected": 0.06, "duplicate": 0.04},
    "recent": {
        "submitted": 0.05,
        "accepted": 0.15,
        "in_progress": 0.25,
        "resolved": 0.30,
        "confirmed": 0.10,
        "rejected": 0.08,
        "duplicate": 0.04,
        "disputed": 0.02,
        "reopened": 0.01,
    },
    "old": {
        "submitted": 0.005,
        "accepted": 0.02,
        "in_progress": 0.04,
        "resolved": 0.42,
        "confirmed": 0.33,
        "rejected": 0.10,
        "duplicate": 0.05,
        "disputed": 0.015,
        "reopened": 0.02,
    },
}
# The workflow path to each final status (actions after "submit").
PATHS = {
    "submitted": [],
    "accepted": ["accept"],
    "in_progress": ["accept", "start"],
    "resolved": ["accept", "start", "resolve"],
    "confirmed": ["accept", "start", "resolve", "confirm"],
    "disputed": ["accept", "start", "resolve", "dispute"],
    "reopened": ["accept", "start", "resolve", "dispute", "reopen"],
    "rejected": ["reject"],
    "duplicate": ["mark_duplicate"],
}
NOTES = {
    "reject": "Обращение не относится к компетенции городских служб.",
    "resolve": "Работы выполнены.",
    "dispute": "Проблема не устранена, прошу проверить повторно.",
    "mark_duplicate": "Такое обращение уже есть.",
}


def _us_to_text(us: np.ndarray) -> list[str]:
    """UTC microseconds → Django's SQLite datetime text 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    iso = np.datetime_as_string(us.astype("datetime64[us]"), unit="us")
    return [s[:10] + " " + s[11:] for s in iso.tolist()]


def _points_in(geom, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n points in the polygon: 40% around a few hundred hot spots (yards, busy streets), the rest uniform.

    Points are rounded to the 6 decimals reports store *before* the inside test: a point drawn a few
    centimetres inside a boundary could otherwise be rounded across it, and the loader then refuses the
    whole build ("row 147512: (59.942101, 30.197899) is outside the city", seen on 2026-12-06: which rows
    land on a boundary depends on the end date, so it failed on some days only)."""
    import shapely

    west, south, east, north = geom.bounds
    hot_lon = hot_lat = np.empty(0)
    while len(hot_lon) < 300:
        x, y = rng.uniform(west, east, 2000), rng.uniform(south, north, 2000)
        inside = shapely.contains_xy(geom, x, y)
        hot_lon, hot_lat = np.concatenate([hot_lon, x[inside]]), np.concatenate([hot_lat, y[inside]])
    hot_lon, hot_lat = hot_lon[:300], hot_lat[:300]
    lons, lats, have = [], [], 0
    while have < n:
        m = max(1000, int((n - have) * 1.6))
        spot = rng.integers(0, len(hot_lon), m)
        near = rng.random(m) < 0.4
        x = np.where(near, hot_lon[spot] + rng.normal(0, 0.002, m), rng.uniform(west, east, m))
        y = np.where(near, hot_lat[spot] + rng.normal(0, 0.001, m), rng.uniform(south, north, m))
        x, y = np.round(x, COORD_DECIMALS), np.round(y, COORD_DECIMALS)
        inside = shapely.contains_xy(geom, x, y)
        lons.append(x[inside])
        lats.append(y[inside])
        have += int(inside.sum())
    return np.concatenate(lats)[:n], np.concatenate(lons)[:n]


def _in_season(mmdd: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    plain = (start <= mmdd) & (mmdd <= end)
    wrapping = (mmdd >= start) | (mmdd <= end)
    return np.where(start == 0, True, np.where(start <= end, plain, wrapping))


def draw(municipality, n: int, seed: int, end: dt.datetime) -> SimpleNamespace:
    """Every report's fields as numpy columns: when, what, where, who handles it, its deadlines, how far
    its workflow got and when each step happened. Deterministic for a seed and an end time."""
    import h3

    from gorod.city import selectors as city_selectors
    from gorod.city.models import Category, District, RoutingRule
    from gorod.core import geo
    from gorod.reports.workflow import CLOSED, Status

    rng = np.random.default_rng(seed)
    districts = list(District.objects.filter(municipality=municipality).order_by("id"))
    categories = list(Category.objects.filter(municipality=municipality, active=True).order_by("id"))
    if not districts or not categories:
        raise SystemExit("the city has no districts or no active categories")
    tz = ZoneInfo(municipality.timezone)
    offset_us = int(end.astimezone(tz).utcoffset().total_seconds() * 1_000_000)
    end_us = int(end.timestamp()) * 1_000_000
    start_us = end_us - 730 * DAY_US

    # When: over two years with seasonal ups and downs; ids follow creation order.
    created = rng.integers(start_us, end_us, int(n * 1.3))
    month = ((created + offset_us) // DAY_US % 365) / 365.0
    keep = rng.random(len(created)) < 0.75 + 0.25 * np.sin(4 * np.pi * month) ** 2
    created = np.sort(created[keep][:n])
    if len(created) < n:
        created = np.sort(np.concatenate([created, rng.integers(start_us, end_us, n - len(created))]))
    local_day = (created + offset_us) // DAY_US
    dates = local_day.astype("datetime64[D]")
    mmdd = (
        (dates.astype("datetime64[M]").astype(int) % 12 + 1) * 100
        + (dates - dates.astype("datetime64[M]")).astype(int)
        + 1
    )

    # What: a long-tailed mix of categories, each only in its season.
    cat_weights = 1.0 / (1 + rng.permutation(len(categories))) ** 0.8
    season_start = np.array(
        [int(c.season_start.replace("-", "")) if c.season_start else 0 for c in categories]
    )
    season_end = np.array([int(c.season_end.replace("-", "")) if c.season_end else 0 for c in categories])
    cat = _weighted(rng, cat_weights, n)
    for _ in range(20):
        bad = ~_in_season(mmdd, season_start[cat], season_end[cat])
        if not bad.any():
            break
        cat[bad] = _weighted(rng, cat_weights, int(bad.sum()))
    bad = ~_in_season(mmdd, season_start[cat], season_end[cat])
    if bad.any():
        plain = np.flatnonzero(season_start == 0)
        cat[bad] = plain[_weighted(rng, cat_weights[plain], int(bad.sum()))]

    # Where: districts by population, points inside their polygons.
    populations = np.array([max(d.population, 1) for d in districts], dtype=float)
    dist = _weighted(rng, populations, n)
    lat, lon = np.empty(n), np.empty(n)
    for k, d in enumerate(districts):
        rows = np.flatnonzero(dist == k)
        if len(rows):
            lat[rows], lon[rows] = _points_in(geo.geometry_from_geojson(d.boundary), len(rows), rng)
    _log(f"{n} places and times drawn; computing H3 cells")
    cells = np.fromiter(
        (
            h3.str_to_int(h3.latlng_to_cell(a, b, geo.STORE_RESOLUTION))
            for a, b in zip(lat.tolist(), lon.tolist(), strict=True)
        ),
        dtype=np.int64,
        count=n,
    )

    # Who handles it: the district's own rule, else the category's default.
    rules = {
        (r.category_id, r.district_id): r.department_id
        for r in RoutingRule.objects.filter(municipality=municipality)
    }
    dept_lut = np.full((len(categories), len(districts)), -1, dtype=np.int64)
    for i, c in enumerate(categories):
        for k, d in enumerate(districts):
            dept_lut[i, k] = rules.get((c.pk, d.pk), rules.get((c.pk, None), -1))
    dept = dept_lut[cat, dist]

    # Deadlines in working days, computed once per (local day, category) pair.
    calendar = city_selectors.calendar_for(municipality.pk)
    due_cache: dict[tuple[int, int], tuple[str, str]] = {}
    pair = local_day * 1000 + cat
    uniq, inverse = np.unique(pair, return_inverse=True)
    mod_due, deadline = [], []
    for p in uniq.tolist():
        day = dt.date(1970, 1, 1) + dt.timedelta(days=p // 1000)
        c = categories[p % 1000]
        key = (p // 1000, c.moderation_days * 1000 + c.deadline_days)
        if key not in due_cache:
            m = calendar.add_working_days(day, c.moderation_days)
            due_cache[key] = (m.isoformat(), calendar.add_working_days(m, c.deadline_days).isoformat())
        mod_due.append(due_cache[key][0])
        deadline.append(due_cache[key][1])
    mod_due_arr, deadline_arr = np.array(mod_due)[inverse], np.array(deadline)[inverse]

    # How far it got: the final status by age, then the event times along its workflow path.
    statuses = list(Status.values)
    age = end_us - created
    status = np.empty(n, dtype=np.int64)
    for bucket, rows in (
        ("young", age < 2 * DAY_US),
        ("recent", (age >= 2 * DAY_US) & (age < 30 * DAY_US)),
        ("old", age >= 30 * DAY_US),
    ):
        mix = STATUS_MIX[bucket]
        codes = np.array([statuses.index(s) for s in mix])
        status[rows] = codes[_weighted(rng, np.array(list(mix.values())), int(rows.sum()))]
    status[0] = statuses.index("submitted")  # a duplicate needs an earlier report
    path_len = np.array([len(PATHS[s]) for s in statuses])[status]
    gaps = np.stack([rng.uniform(lo, hi, n) for lo, hi in STEP_GAPS_DAYS], axis=1) * DAY_US
    gaps[np.arange(5)[None, :] >= path_len[:, None]] = 0
    total = gaps.sum(axis=1)
    scale = np.minimum(1.0, (age * 0.95) / np.maximum(total, 1))
    steps = created[:, None] + np.cumsum(gaps * scale[:, None], axis=1).astype(np.int64)
    last = np.where(path_len > 0, steps[np.arange(n), np.maximum(path_len - 1, 0)], created)
    closed_codes = np.array([statuses.index(s) for s in CLOSED])
    closed = np.isin(status, closed_codes)
    anonymous_ok = np.array([c.anonymous_allowed for c in categories])

    return SimpleNamespace(**{k: v for k, v in locals().items() if k not in ("h3", "geo", "Status")})


def generate_raw(municipality, n: int, seed: int, end: dt.datetime) -> dict:
    """Insert the drawn reports and their events with executemany, bypassing the models (~4x faster
    than the project's loader; for quick experiments only: the loader is what the bench uses)."""
    from django.db import connection, transaction

    from gorod.reports.models import Report, ReportEvent

    d = draw(municipality, n, seed, end)
    statuses, status, created, last, steps, dept = d.statuses, d.status, d.created, d.last, d.steps, d.dept
    categories, districts, cat, dist, rng = d.categories, d.districts, d.cat, d.dist, d.rng
    lat, lon, cells, closed = d.lat, d.lon, d.cells, d.closed
    mod_due_arr, deadline_arr = d.mod_due_arr, d.deadline_arr
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM reports_report")
        first_id = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM reports_reportevent")
        first_event = cursor.fetchone()[0] + 1
    ids = np.arange(first_id, first_id + n)
    dup_of = np.maximum(1, ids - rng.integers(1, 5000, n))

    report_fields = [f for f in Report._meta.concrete_fields]
    event_fields = [f for f in ReportEvent._meta.concrete_fields]
    report_sql = _insert_sql(Report._meta.db_table, [f.column for f in report_fields])
    event_sql = _insert_sql(ReportEvent._meta.db_table, [f.column for f in event_fields])
    defaults = {f.column: f.get_db_prep_save(f.get_default(), connection) for f in report_fields}
    event_defaults = {f.column: f.get_db_prep_save(f.get_default(), connection) for f in event_fields}
    cat_ids = np.array([c.pk for c in categories])
    cat_names = [c.name for c in categories]
    district_ids = np.array([d.pk for d in districts])
    street = rng.integers(0, len(STREETS), n)
    house = rng.integers(1, 120, n)
    phrase = rng.integers(0, len(PHRASES), n)
    anonymous = d.anonymous_ok[cat] & (rng.random(n) < 0.3)
    tokens = rng.bytes(16 * n).hex()

    events_written = 0
    chunk = 100_000
    with transaction.atomic():
        for a in range(0, n, chunk):
            b = min(n, a + chunk)
            s = slice(a, b)
            created_text = _us_to_text(created[s])
            updated_text = _us_to_text(last[s])
            status_names = [statuses[c] for c in status[s].tolist()]
            addresses = [
                f"{STREETS[x]}, д. {h}" for x, h in zip(street[s].tolist(), house[s].tolist(), strict=True)
            ]
            columns = {
                "id": ids[s].tolist(),
                "created": created_text,
                "updated": updated_text,
                "municipality_id": [municipality.pk] * (b - a),
                "category_id": cat_ids[cat[s]].tolist(),
                "district_id": district_ids[dist[s]].tolist(),
                "department_id": [None if d < 0 else d for d in dept[s].tolist()],
                "status": status_names,
                "lat": lat[s].tolist(),
                "lon": lon[s].tolist(),
                "h3": cells[s].tolist(),
                "address": addresses,
                "description": [
                    f"{cat_names[c]}. {addr}. {PHRASES[p]}"
                    for c, addr, p in zip(cat[s].tolist(), addresses, phrase[s].tolist(), strict=True)
                ],
                "attributes": ["{}"] * (b - a),
                "anonymous": anonymous[s].tolist(),
                "moderation_due": mod_due_arr[s].tolist(),
                "deadline": deadline_arr[s].tolist(),
                "closed_at": [
                    t if c else None for t, c in zip(updated_text, closed[s].tolist(), strict=True)
                ],
                "duplicate_of_id": [
                    d if st == "duplicate" else None
                    for d, st in zip(dup_of[s].tolist(), status_names, strict=True)
                ],
                "status_reason": [
                    NOTES["reject"] if st == "rejected"
                    else NOTES["resolve"] if st in ("resolved", "confirmed")
                    else NOTES["dispute"] if st in ("disputed", "reopened") else ""
                    for st in status_names
                ],
                "source": ["demo"] * (b - a),
                "token": [tokens[i * 32 : i * 32 + 32] for i in range(a, b)],
            }  # fmt: skip
            rows = zip(
                *[columns.get(f.column) or [defaults[f.column]] * (b - a) for f in report_fields], strict=True
            )
            with connection.cursor() as cursor:
                cursor.executemany(report_sql, list(rows))
                event_rows = _events(
                    ids[s], created[s], steps[s], status[s], dept[s], statuses, first_event + events_written
                )
                cols = [
                    event_rows.get(f.column) or [event_defaults[f.column]] * len(event_rows["id"])
                    for f in event_fields
                ]
                cursor.executemany(event_sql, list(zip(*cols, strict=True)))
            events_written += len(event_rows["id"])
            _log(f"{b:,} reports, {events_written:,} events written")
    return {
        "reports": n,
        "events": events_written,
        "first_id": int(first_id),
        "last_id": int(ids[-1]),
        "end": end.isoformat(),
        "statuses": {statuses[c]: int((status == c).sum()) for c in range(len(statuses))},
    }


def _events(ids, created, steps, status, dept, statuses, first_id) -> dict[str, list]:
    """The submit event and one event per workflow step, for one chunk of reports."""
    out: dict[str, list] = {k: [] for k in ("report_id", "at", "action", "from_status", "to_status")}
    out["public_note"], out["department_id"] = [], []

    def add(rows, times, action, frm, to, note):
        k = len(rows)
        out["report_id"] += ids[rows].tolist()
        out["at"] += _us_to_text(times)
        out["action"] += [action] * k
        out["from_status"] += frm if isinstance(frm, list) else [frm] * k
        out["to_status"] += to if isinstance(to, list) else [to] * k
        out["public_note"] += [note] * k
        out["department_id"] += [None if d < 0 else d for d in dept[rows].tolist()]

    everyone = np.arange(len(ids))
    add(everyone, created, "submit", "", "submitted", "")
    targets = {"accept": "accepted", "start": "in_progress", "resolve": "resolved", "confirm": "confirmed"}
    targets |= {
        "dispute": "disputed",
        "reopen": "reopened",
        "reject": "rejected",
        "mark_duplicate": "duplicate",
    }
    for code, name in enumerate(statuses):
        rows = np.flatnonzero(status == code)
        previous = "submitted"
        for step, action in enumerate(PATHS[name]):
            add(rows, steps[rows, step], action, previous, targets[action], NOTES.get(action, ""))
            previous = targets[action]
    out["id"] = list(range(first_id, first_id + len(out["report_id"])))
    out["private_note"] = [""] * len(out["id"])
    out["dispatched"] = [True] * len(out["id"])  # history: nothing to tell anyone (reports.events)
    return out


def _insert_sql(table: str, columns: list[str]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(["%s"] * len(columns))})'


def _secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(tables))
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({marks})",
            tables,
        )
        return list(cursor.fetchall())


def history_rows(d: SimpleNamespace) -> Iterator:
    """The drawn reports as gorod.reports.services.bulk.HistoryRow, in creation order, with their steps."""
    from gorod.reports.services.bulk import HistoryRow, Step

    n = len(d.created)
    street = d.rng.integers(0, len(STREETS), n).tolist()
    house = d.rng.integers(1, 120, n).tolist()
    phrase = d.rng.integers(0, len(PHRASES), n).tolist()
    back = d.rng.integers(1, 5000, n).tolist()
    anonymous = (d.anonymous_ok[d.cat] & (d.rng.random(n) < 0.3)).tolist()
    token_bytes = d.rng.bytes(16 * n)
    paths = [PATHS[s] for s in d.statuses]
    utc = dt.UTC
    epoch = dt.datetime(1970, 1, 1, tzinfo=utc)
    us = dt.timedelta(microseconds=1)
    cat, status, lat, lon = d.cat.tolist(), d.status.tolist(), d.lat.tolist(), d.lon.tolist()
    created = d.created.tolist()
    for a in range(0, n, 10_000):
        steps_chunk = d.steps[a : a + 10_000].tolist()
        for i in range(a, min(n, a + 10_000)):
            category = d.categories[cat[i]]
            path = paths[status[i]]
            times = steps_chunk[i - a]
            address = f"{STREETS[street[i]]}, д. {house[i]}"
            yield HistoryRow(
                category=category,
                lat=lat[i],
                lon=lon[i],
                created=epoch + created[i] * us,
                description=f"{category.name}. {address}. {PHRASES[phrase[i]]}",
                address=address,
                steps=[
                    Step(action=action, at=epoch + times[k] * us, public_note=NOTES.get(action, ""))
                    for k, action in enumerate(path)
                ],
                anonymous=anonymous[i],
                duplicate_of_row=max(0, i - back[i]) if path and path[-1] == "mark_duplicate" else None,
                token=uuid.UUID(bytes=token_bytes[16 * i : 16 * i + 16], version=4),
            )


def generate_with_loader(municipality, n: int, seed: int, end: dt.datetime) -> dict:
    """The drawn reports loaded through the project's own bulk loader (gorod.reports.services.bulk), which
    places, routes and dates each row exactly as report_create does."""
    from gorod.reports.services.bulk import reports_load_history

    d = draw(municipality, n, seed, end)
    done = 0
    started = time.monotonic()

    def progress(k: int) -> None:
        nonlocal done
        done += k
        if done % 100_000 < k:
            rate = done / max(time.monotonic() - started, 1e-9)
            _log(f"{done:,} reports loaded ({rate:,.0f}/s)")

    result = reports_load_history(
        municipality, history_rows(d), batch_size=2000, atomic=False, progress=progress
    )
    return {
        "reports": len(result.ids),
        "events": result.events,
        "first_id": int(result.ids[0]),
        "last_id": int(result.ids[-1]),
        "end": end.isoformat(),
        "statuses": {s: int((d.status == c).sum()) for c, s in enumerate(d.statuses)},
    }


def parse_anchor(text: str) -> dt.datetime:
    """A date (midnight UTC) or an ISO date-time (UTC when it names no offset)."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or date-time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--city", type=Path, default=None, help="city file (default: the demo city)")
    parser.add_argument(
        "--raw", action="store_true", help="insert with raw SQL instead of gorod.reports.services.bulk"
    )
    parser.add_argument(
        "--anchor",
        type=parse_anchor,
        default=None,
        help="the end of the two years of reports, e.g. 2026-12-06 or 2026-12-06T15:00+00:00 (default: this"
        " hour); the same seed and anchor give the same data on any day",
    )
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("sqlite:///"):
        raise SystemExit("set DATABASE_URL=sqlite:///<new file>")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gorod.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gorod.city.services import city_import_file
    from gorod.demo.city import SPB_FILE

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    municipality = city_import_file(args.city or SPB_FILE)
    _log(f"city {municipality.slug} imported; loading {args.reports:,} reports")
    with connection.cursor() as cursor:
        # A throw-away file being built: no journal, no fsync. Settings put WAL back on every connect.
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-800000")
    indexes = _secondary_indexes(["reports_report", "reports_reportevent"])
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    end = args.anchor or dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    if args.raw:
        summary = generate_raw(municipality, args.reports, args.seed, end) | {
            "loader": "bench.generate (raw)"
        }
    else:
        summary = generate_with_loader(municipality, args.reports, args.seed, end)
        summary["loader"] = "gorod.reports.services.bulk.reports_load_history"
    _log("rebuilding indexes")
    with connection.cursor() as cursor:
        for name, sql in indexes:
            if not _secondary_indexes_named(name):
                cursor.execute(sql)
        _log("ANALYZE")
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA journal_mode=WAL")
    summary["seconds"] = round(time.monotonic() - started, 1)
    summary["municipality"] = municipality.slug
    print(json.dumps(summary))


def _secondary_indexes_named(name: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
        return cursor.fetchone() is not None


if __name__ == "__main__":
    main()
