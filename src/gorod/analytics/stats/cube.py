"""The rollups as numpy columns, for the dashboards and /performance/.

Summing a year of ReportDay rows in SQL for every chart would cost SQLite hundreds of milliseconds at a
million reports; so each process keeps a municipality's stored rows in memory (reloaded when the
RollupState stamp changes, i.e. once a day). Rows are in day order, one int32 matrix of figures
(COLUMNS wide). Besides the rows, for each key column (district, category, department) and for the
whole city it keeps sums per day accumulated over the days: the figures of any period by key are then
one subtraction, whatever the number of rows. Narrower selections (a district, a category) mask the
rows instead, which are then few. Days after the last rolled-up one (normally only today) are computed
live by the code that writes the rollups (rollup.rows_between), cached for TAIL_TTL_S, and added."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from gorod.analytics.stats import buckets
from gorod.analytics.stats.models import ReportDay, RollupState
from gorod.analytics.stats.rollup import COUNTS, rows_between
from gorod.city.models import Municipality
from gorod.core import clock

TAIL_TTL_S = 60
KEYS = ("district", "category", "department")
_FIELDS = (
    "day",
    "district_id",
    "category_id",
    "department_id",
    *COUNTS,
    "response_hours",
    "resolution_days",
    "scores",
)
# The figure columns: the counts, then the three histograms.
_SPANS = {
    "counts": (0, len(COUNTS)),
    "response": (len(COUNTS), len(COUNTS) + len(buckets.RESPONSE_HOURS)),
    "resolution": (
        len(COUNTS) + len(buckets.RESPONSE_HOURS),
        len(COUNTS) + len(buckets.RESPONSE_HOURS) + len(buckets.RESOLUTION_DAYS),
    ),
    "scores": (
        len(COUNTS) + len(buckets.RESPONSE_HOURS) + len(buckets.RESOLUTION_DAYS),
        len(COUNTS) + len(buckets.RESPONSE_HOURS) + len(buckets.RESOLUTION_DAYS) + len(buckets.SCORES),
    ),
}
WIDTH = _SPANS["scores"][1]


@dataclasses.dataclass(frozen=True)
class Totals:
    """The figures of a set of rows (a vector of WIDTH sums)."""

    values: np.ndarray

    def _span(self, name: str) -> np.ndarray:
        start, end = _SPANS[name]
        return self.values[start:end]

    @property
    def counts(self) -> dict[str, int]:
        return dict(zip(COUNTS, self._span("counts").tolist(), strict=True))

    @property
    def response(self) -> np.ndarray:
        return self._span("response")

    @property
    def resolution(self) -> np.ndarray:
        return self._span("resolution")

    @property
    def scores(self) -> np.ndarray:
        return self._span("scores")

    @property
    def ratings(self) -> int:
        return int(self.scores.sum())

    @property
    def rating_sum(self) -> int:
        return int((self.scores * np.arange(1, 6)).sum())

    def resolution_quantile(self, q: float) -> float | None:
        return buckets.quantile(self.resolution, buckets.RESOLUTION_DAYS, q)

    def response_quantile(self, q: float) -> float | None:
        return buckets.quantile(self.response, buckets.RESPONSE_HOURS, q)


@dataclasses.dataclass(frozen=True)
class Rows:
    """Rows of (day, district, category, department) with their figures; department -1: none."""

    day: np.ndarray  # datetime64[D], ascending
    district: np.ndarray
    category: np.ndarray
    department: np.ndarray
    values: np.ndarray  # (n, WIDTH) int64

    def __len__(self) -> int:
        return len(self.day)

    def take(self, rows: np.ndarray | slice) -> Rows:
        return Rows(**{f.name: getattr(self, f.name)[rows] for f in dataclasses.fields(self)})

    def select(self, first: dt.date, last: dt.date, wanted: dict[str, Sequence[int]]) -> Rows:
        lo = np.searchsorted(self.day, np.datetime64(first, "D"), side="left")
        hi = max(np.searchsorted(self.day, np.datetime64(last, "D"), side="right"), lo)
        part = self.take(slice(lo, hi))
        mask = None
        for column, values in wanted.items():
            if values:
                m = np.isin(getattr(part, column), np.asarray(values, dtype=np.int64))
                mask = m if mask is None else mask & m
        return part if mask is None else part.take(np.flatnonzero(mask))

    def sums(self) -> np.ndarray:
        return self.values.sum(axis=0, dtype=np.int64)

    def sums_by(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(keys, their sums as a (len(keys), WIDTH) matrix)."""
        keys = getattr(self, column)
        if not len(keys):
            return np.empty(0, np.int64), np.zeros((0, WIDTH), np.int64)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.concatenate(([0], np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1))
        return sorted_keys[starts], np.add.reduceat(self.values[order].astype(np.int64), starts, axis=0)

    def filed_by_month(self, first: int, last: int) -> np.ndarray:
        months = self.day.astype("datetime64[M]").astype(np.int64) - first
        filed = self.values[:, COUNTS.index("filed")]
        return np.bincount(months, weights=filed, minlength=last - first + 1)[: last - first + 1]


@dataclasses.dataclass(frozen=True)
class Prefix:
    """Sums per day of one key column (or of everything: one key), accumulated over the days."""

    days: np.ndarray  # distinct days, ascending
    keys: np.ndarray  # distinct keys, ascending
    cumulative: np.ndarray  # (len(days) + 1, len(keys), WIDTH): row i is the sum over days[:i]

    @classmethod
    def of(cls, rows: Rows, keys: np.ndarray) -> Prefix:
        days, day_index = np.unique(rows.day, return_inverse=True)
        distinct, key_index = np.unique(keys, return_inverse=True)
        cells = day_index * len(distinct) + key_index
        per_day = np.zeros((len(days) * len(distinct), WIDTH), dtype=np.int64)
        if len(cells):
            order = np.argsort(cells, kind="stable")
            sorted_cells = cells[order]
            starts = np.concatenate(([0], np.flatnonzero(sorted_cells[1:] != sorted_cells[:-1]) + 1))
            per_day[sorted_cells[starts]] = np.add.reduceat(
                rows.values[order].astype(np.int64), starts, axis=0
            )
        cumulative = np.zeros((len(days) + 1, len(distinct), WIDTH), dtype=np.int64)
        np.cumsum(per_day.reshape(len(days), len(distinct), WIDTH), axis=0, out=cumulative[1:])
        return cls(days, distinct, cumulative)

    def period(self, first: dt.date, last: dt.date) -> np.ndarray:
        """(len(keys), WIDTH): the sums over first..last (zeros when last < first)."""
        if last < first:
            return np.zeros(self.cumulative.shape[1:], dtype=np.int64)
        lo = np.searchsorted(self.days, np.datetime64(first, "D"), side="left")
        hi = np.searchsorted(self.days, np.datetime64(last, "D"), side="right")
        return self.cumulative[hi] - self.cumulative[lo]


@dataclasses.dataclass(frozen=True)
class Stored:
    rows: Rows
    prefixes: dict[str, Prefix]  # KEYS and "all"


def _rows_from(records: list[tuple]) -> Rows:
    n = len(records)
    columns = list(zip(*records, strict=True)) if n else [()] * len(_FIELDS)
    nc = len(COUNTS)
    values = np.zeros((n, WIDTH), dtype=np.int64)
    if n:
        values[:, :nc] = np.array(list(zip(*columns[4 : 4 + nc], strict=True)), dtype=np.int64)
        for name, column in (
            ("response", columns[4 + nc]),
            ("resolution", columns[5 + nc]),
            ("scores", columns[6 + nc]),
        ):
            start, end = _SPANS[name]
            values[:, start:end] = np.array(list(column), dtype=np.int64)
    return Rows(
        day=np.array(columns[0], dtype="datetime64[D]"),
        district=np.array(columns[1], dtype=np.int64),
        category=np.array(columns[2], dtype=np.int64),
        department=np.array([-1 if v is None else v for v in columns[3]], dtype=np.int64),
        values=values,
    )


LOAD_CHUNK = 50_000
_HISTOGRAMS = ("response_hours", "resolution_days", "scores")
_KEY_COLUMNS = ("district_id", "category_id", "COALESCE(department_id, -1)")
_ROW_WIDTH = len(_KEY_COLUMNS) + WIDTH


def _load_sql() -> str:
    """A row's day, and all its numbers as one text ("district,category,department,counts...,[histogram],
    ..."), so that numpy's C text reader parses a whole chunk at once. Going through the model instead (a
    json.loads per histogram, a Python int per value) made loading a million-report city's ~500,000 rows
    take longer than a request may."""
    parts = [f"CAST({c} AS TEXT)" for c in (*_KEY_COLUMNS, *COUNTS, *_HISTOGRAMS)]
    numbers = " || ',' || ".join(parts)
    table = ReportDay._meta.db_table
    # Only names from this module and the model go into the text; the municipality is a parameter.
    return f"SELECT CAST(day AS TEXT), {numbers} FROM {table} WHERE municipality_id = %s ORDER BY day"  # noqa: S608


def _numbers(texts: list[str]) -> np.ndarray:
    """(n, _ROW_WIDTH) from the texts of _load_sql."""
    try:
        flat = np.fromstring(",".join(texts).replace("[", "").replace("]", ""), dtype=np.int64, sep=",")
    except ValueError:  # an empty list left two commas in a row
        flat = None
    if flat is not None and flat.size == len(texts) * _ROW_WIDTH:
        return flat.reshape(len(texts), _ROW_WIDTH)
    # Some row's histogram has another length (an empty list, rows written before a bucket was added):
    # the slow way, padding each histogram to its width.
    out = np.zeros((len(texts), _ROW_WIDTH), dtype=np.int64)
    fixed = len(_KEY_COLUMNS) + len(COUNTS)
    for i, text in enumerate(texts):
        values = json.loads(f"[{text}]")
        out[i, :fixed] = values[:fixed]
        for histogram, name in zip(values[fixed:], ("response", "resolution", "scores"), strict=True):
            start, end = _SPANS[name]
            kept = histogram[: end - start]
            out[i, len(_KEY_COLUMNS) + start : len(_KEY_COLUMNS) + start + len(kept)] = kept
    return out


def _rows_from_records(records: list[tuple[str, str]]) -> Rows:
    """Rows from the SELECT of _load_sql, with int32 figures (a day's figures of one row are small)."""
    numbers = _numbers([numbers for _day, numbers in records])
    keys = len(_KEY_COLUMNS)
    return Rows(
        day=np.array([day for day, _numbers in records], dtype="datetime64[D]"),
        district=numbers[:, 0].copy(),
        category=numbers[:, 1].copy(),
        department=numbers[:, 2].copy(),
        values=numbers[:, keys:].astype(np.int32),
    )


def _load(municipality_id: int) -> Stored:
    """The municipality's stored rows, a chunk at a time (never all of them as Python tuples at once)."""
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(_load_sql(), [municipality_id])
        while records := cursor.fetchmany(LOAD_CHUNK):
            parts.append(_rows_from_records(records))
    return _stored_of(parts)


def _stored_of(parts: list[Rows]) -> Stored:
    if not parts:
        parts = [_rows_from([])]
    rows = Rows(
        **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in dataclasses.fields(Rows)}
    )
    prefixes = {key: Prefix.of(rows, getattr(rows, key)) for key in KEYS}
    prefixes["all"] = Prefix.of(rows, np.zeros(len(rows), dtype=np.int64))
    return Stored(rows, prefixes)


_lock = threading.Lock()  # one load at a time in a process
_stored: dict[int, tuple[str, dt.date, Stored]] = {}
_reloading: set[int] = set()
_EMPTY = _stored_of([])


def reset() -> None:
    """Forget what this process holds (tests)."""
    with _lock:
        _stored.clear()


def _state(municipality_id: int) -> tuple[str, dt.date] | None:
    return RollupState.objects.filter(municipality_id=municipality_id).values_list("stamp", "through").first()


def _load_now(municipality_id: int) -> tuple[str, dt.date, Stored] | None:
    with _lock:
        state = _state(municipality_id)
        if state is None:
            return None
        held = _stored.get(municipality_id)
        if held is None or held[0] != state[0]:
            held = (*state, _load(municipality_id))
            _stored[municipality_id] = held
        return held


def _reload_in_background(municipality_id: int) -> None:
    if municipality_id in _reloading:
        return
    _reloading.add(municipality_id)

    def reload() -> None:
        try:
            _load_now(municipality_id)
        finally:
            _reloading.discard(municipality_id)
            connection.close()  # this thread's own connection

    threading.Thread(target=reload, name="stats-reload", daemon=True).start()


def _stored_for(municipality: Municipality) -> tuple[dt.date | None, Stored]:
    """What this process holds, reloaded when the worker has rolled up since. Only the first load makes
    a request wait (and `warm` does it when a server process starts): when new rollups are written, the
    rows held so far keep serving until the new ones are loaded, in a background thread, and stay exact
    meanwhile, as the days after their `through` are computed live (select)."""
    state = _state(municipality.pk)
    if state is None:
        return None, _EMPTY
    held = _stored.get(municipality.pk)
    if held is not None and held[0] != state[0] and settings.GOROD_STATS_RELOAD_IN_BACKGROUND:
        _reload_in_background(municipality.pk)
    elif held is None or held[0] != state[0]:
        held = _load_now(municipality.pk) or held
    if held is None:
        return None, _EMPTY
    return held[1], held[2]


def warm() -> None:
    """Load every municipality's rollups (settings.GOROD_WARM_UP: run when a server process starts)."""
    for municipality_id in RollupState.objects.values_list("municipality_id", flat=True):
        _load_now(municipality_id)


@dataclasses.dataclass(frozen=True)
class Selection:
    """The figures of local days first..last under the filters (key column → wanted ids)."""

    stored: Stored
    tail: Rows  # live rows after the stored ones, already selected
    first: dt.date
    last: dt.date  # of the stored days counted (the period's last day, or the last rolled-up one)
    period_last: dt.date
    wanted: dict[str, Sequence[int]]

    @property
    def _narrowed(self) -> bool:
        return any(self.wanted.values())

    def _rows(self) -> Rows:
        return self.stored.rows.select(self.first, self.last, self.wanted)

    def sums(self) -> Totals:
        if self._narrowed:
            stored = self._rows().sums()
        else:
            stored = self.stored.prefixes["all"].period(self.first, self.last).sum(axis=0)
        return Totals(stored + self.tail.sums())

    def sums_by(self, column: str) -> dict[int, Totals]:
        if self._narrowed:
            keys, sums = self._rows().sums_by(column)
        else:
            prefix = self.stored.prefixes[column]
            keys, sums = prefix.keys, prefix.period(self.first, self.last)
        out = {int(k): s for k, s in zip(keys.tolist(), sums, strict=True)}
        tail_keys, tail_sums = self.tail.sums_by(column)
        for k, s in zip(tail_keys.tolist(), tail_sums, strict=True):
            out[int(k)] = out[int(k)] + s if int(k) in out else s
        return {k: Totals(v) for k, v in out.items() if v.any()}

    def filed_by_month(self) -> list[tuple[str, int]]:
        """(YYYY-MM, reports filed) for every month of the period."""
        first = int(np.datetime64(self.first, "M").astype(np.int64))
        last = int(np.datetime64(self.period_last, "M").astype(np.int64))
        if self._narrowed:
            counts = self._rows().filed_by_month(first, last)
        else:
            prefix = self.stored.prefixes["all"]
            filed = COUNTS.index("filed")
            counts = np.zeros(last - first + 1)
            for i in range(last - first + 1):
                start = max(np.datetime64(first + i, "M").astype("datetime64[D]").item(), self.first)
                end = min((np.datetime64(first + i + 1, "M").astype("datetime64[D]") - 1).item(), self.last)
                counts[i] = prefix.period(start, end)[:, filed].sum()
        counts = counts + self.tail.filed_by_month(first, last)
        return [(str(np.datetime64(first + i, "M")), int(n)) for i, n in enumerate(counts.tolist())]


def select(
    municipality: Municipality,
    first: dt.date,
    last: dt.date,
    *,
    districts: Sequence[int] = (),
    categories: Sequence[int] = (),
    departments: Sequence[int] = (),
) -> Selection:
    """The figures of local days first..last: the stored rollups and, for the days after them, live
    rows (cached for TAIL_TTL_S)."""
    wanted = {"district": districts, "category": categories, "department": departments}
    through, stored = _stored_for(municipality)
    today = clock.today(ZoneInfo(municipality.timezone))
    tail_first = max(first, through + dt.timedelta(days=1)) if through else first
    tail_last = min(last, today)
    tail = _rows_from([])
    if tail_first <= tail_last:
        key = f"gorod:stats:tail:v2:{municipality.pk}:{through}:{tail_first}:{tail_last}"
        tail = cache.get(key)
        if tail is None:
            tail = _rows_from(
                [tuple(r[f] for f in _FIELDS) for r in rows_between(municipality, tail_first, tail_last)]
            )
            cache.set(key, tail, TAIL_TTL_S)
        tail = tail.select(first, last, wanted)
    # Stored rows reach `through`: never count them again from the tail, nor past the period.
    stored_last = min(last, through) if through else first - dt.timedelta(days=1)
    return Selection(stored, tail, first, stored_last, last, wanted)
