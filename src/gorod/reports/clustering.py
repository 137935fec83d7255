"""Server-side map clustering by H3, from a per-process columnar index of a municipality's reports.

A GROUP BY over a million rows costs SQLite about a second; the map needs an answer in milliseconds. So
each process keeps, per municipality, numpy columns (id, h3, lat, lon, category, district, department,
status code, created) sorted by the stored resolution-10 H3 cell. In that order every parent cell's
children are contiguous, so grouping at any coarser resolution needs no sort and no hashing per request:
shift away the digits finer than the zoom's resolution, find where the result changes, and sum each run
with np.add.reduceat. Filters are numpy masks over the columns; a masked subsequence of a sorted column is
still sorted. The unfiltered grouping (the default map) is computed once per snapshot and resolution.

The index is a read-only snapshot swapped atomically; readers never wait for a refresh, except for the
very first load (~3 s for a million reports). A refresh reads only the rows changed since the last one
(the (municipality, updated) index) plus any new ids, at most every GOROD_MAP_REFRESH_S seconds
(default 5), or at once with `refresh(...)`. Rows deleted outside the services (the admin, a shell) are
noticed by a row-count check every GOROD_MAP_VERIFY_S seconds (default 300), which then reloads the
index in full. Memory: 53 bytes a report, 51 MiB for a million; loading them peaks ~16 MiB above that.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Case, IntegerField, SmallIntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from gorod.core import geo
from gorod.reports.models import Report
from gorod.reports.selectors import ReportFilter
from gorod.reports.workflow import CLOSED, OPEN, Status

# Status codes in the index: the workflow's order; anything unknown (a status added later, before a
# reload) gets the next code and matches no status filter. A new report filed without signing in has a
# code of its own: it is "submitted" to every filter, and left out where the city hides such reports
# (Municipality.hide_anonymous_until_moderated), so the setting can change without a reload.
STATUS_CODES: dict[str, int] = {s: i for i, s in enumerate(Status.values)}
_UNKNOWN_STATUS = len(STATUS_CODES)
_ANONYMOUS_SUBMITTED = _UNKNOWN_STATUS + 1

# Rows whose `updated` is a little older than the newest one already seen are read again: a transaction
# stamps `updated` before it commits, so a slow commit can land behind the watermark.
_OVERLAP = dt.timedelta(seconds=30)
# More groups than this would be a useless map and a huge response: use a coarser resolution instead.
MAX_CLUSTERS = 5000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)
BBox = tuple[float, float, float, float]  # south, west, north, east, as ReportFilter.bbox

_ROW = np.dtype(
    [
        ("id", "i8"),
        ("h3", "i8"),
        ("lat", "f8"),
        ("lon", "f8"),
        ("category", "i4"),
        ("district", "i4"),
        ("department", "i4"),  # -1: none
        ("status", "i2"),
        ("created", "i8"),
        ("updated", "i8"),
    ]
)
_COLUMNS = ("id", "h3", "lat", "lon", "category", "district", "department", "status", "created")
_COLUMN_TYPES = {"status": np.int8}


@dataclass(frozen=True)
class Snapshot:
    """The reports of one municipality as columns sorted by h3. Never modified once published."""

    id: np.ndarray
    h3: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    category: np.ndarray
    district: np.ndarray
    department: np.ndarray  # -1: none
    status: np.ndarray  # int8 STATUS_CODES
    created: np.ndarray  # microseconds since the epoch, UTC

    # The unfiltered grouping per ("all" or "public", resolution) (the default map), filled on first use.
    # Only ever added to; two threads computing the same entry at once store equal values.
    groups: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.id)

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, c).nbytes for c in _COLUMNS)

    @cached_property
    def public(self) -> np.ndarray | None:
        """Positions of the rows a city that hides unmoderated anonymous reports shows; None: all."""
        hidden = self.status == _ANONYMOUS_SUBMITTED
        return np.flatnonzero(~hidden) if hidden.any() else None

    @cached_property
    def extent(self) -> BBox:
        """(south, west, north, east) of all rows."""
        if not len(self):
            return (0.0, 0.0, 0.0, 0.0)
        return (float(self.lat.min()), float(self.lon.min()), float(self.lat.max()), float(self.lon.max()))


@dataclass
class _Index:
    lock: threading.Lock
    snapshot: Snapshot | None = None
    max_id: int = 0
    watermark_us: int | None = None  # newest `updated` seen
    refreshed_at: float = 0.0  # time.monotonic()
    verified_at: float = 0.0


_registry_lock = threading.Lock()
_indexes: dict[int, _Index] = {}


def reset() -> None:
    """Forget every index (tests; after a bulk load or a restore). The next request reloads."""
    with _registry_lock:
        _indexes.clear()


def refresh(municipality_id: int, *, full: bool = False) -> Snapshot:
    """Bring the index up to date now (waiting for a refresh another thread is running)."""
    index = _index_entry(municipality_id)
    with index.lock:
        _update(index, municipality_id, full=full or index.snapshot is None)
        assert index.snapshot is not None
        return index.snapshot


def warm() -> None:
    """Load the index of every municipality that has reports (settings.GOROD_WARM_UP: when a server
    process starts, so that no resident's first map request waits for it)."""
    for municipality_id in Report.objects.order_by().values_list("municipality_id", flat=True).distinct():
        refresh(municipality_id)


def snapshot(municipality_id: int) -> Snapshot:
    """The current index, refreshed first when it is due and no other thread is refreshing it (readers
    meanwhile get the previous snapshot: a refresh never makes a request wait, except the first load)."""
    index = _index_entry(municipality_id)
    current = index.snapshot
    if current is None:
        return refresh(municipality_id)
    now = time.monotonic()
    interval = settings.GOROD_MAP_REFRESH_S
    if now - index.refreshed_at >= interval and index.lock.acquire(blocking=False):
        try:
            verify = now - index.verified_at >= settings.GOROD_MAP_VERIFY_S
            _update(index, municipality_id, full=False, verify=verify)
            current = index.snapshot or current
        finally:
            index.lock.release()
    return current


def _index_entry(municipality_id: int) -> _Index:
    with _registry_lock:
        index = _indexes.get(municipality_id)
        if index is None:
            index = _indexes[municipality_id] = _Index(lock=threading.Lock())
        return index


# --- loading ---------------------------------------------------------------------------------------
def _epoch_us_sql(column: str) -> RawSQL:
    """Microseconds since the epoch of a datetime column, computed by the database: parsing a million
    datetimes in Python would cost seconds."""
    col = f"{connection.ops.quote_name(Report._meta.db_table)}.{connection.ops.quote_name(column)}"
    if connection.vendor == "sqlite":
        # Django stores UTC as 'YYYY-MM-DD HH:MM:SS[.ffffff]'; strftime('%s') drops the fraction.
        sql = (
            f"(CAST(strftime('%%s', {col}) AS INTEGER) * 1000000 + CASE WHEN instr({col}, '.') > 0 "
            f"THEN CAST(substr(substr({col}, instr({col}, '.') + 1) || '000000', 1, 6) AS INTEGER) "
            "ELSE 0 END)"
        )
    elif connection.vendor == "postgresql":
        sql = f"(EXTRACT(EPOCH FROM {col}) * 1000000)::bigint"
    else:  # pragma: no cover - the project supports SQLite and PostgreSQL
        raise NotImplementedError(f"map clustering does not support {connection.vendor}")
    # Only our own quoted column name goes into the SQL: no input from outside.
    return RawSQL(sql, (), output_field=IntegerField())  # noqa: S611


def _fetch(
    municipality_id: int, *, since: dt.datetime | None = None, after_id: int | None = None
) -> Iterator[np.ndarray]:
    """The rows (all, changed since, or after an id) in chunks of _ROW records."""
    qs = Report.objects.filter(municipality_id=municipality_id)
    if since is not None:
        qs = qs.filter(updated__gte=since)
    if after_id is not None:
        qs = qs.filter(id__gt=after_id)
    status_code = Case(
        When(status=Status.SUBMITTED, author__isnull=True, then=Value(_ANONYMOUS_SUBMITTED)),
        *[When(status=s, then=Value(code)) for s, code in STATUS_CODES.items()],
        default=Value(_UNKNOWN_STATUS),
        output_field=SmallIntegerField(),
    )
    qs = qs.order_by().values_list(
        "id",
        "h3",
        "lat",
        "lon",
        "category_id",
        "district_id",
        Coalesce("department_id", Value(-1)),
        status_code,
        _epoch_us_sql("created"),
        _epoch_us_sql("updated"),
    )
    sql, params = qs.query.sql_with_params()
    # chunked_cursor: a server-side cursor on PostgreSQL, so a million rows never sit in memory as tuples.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(20_000):
            yield np.fromiter(rows, dtype=_ROW, count=len(rows))


def _fetch_changes(municipality_id: int, *, since: dt.datetime, after_id: int) -> np.ndarray:
    # New reports by id as well: their `updated` may be older than the watermark when the clock is set
    # back (a frozen clock in tests, a corrected server clock).
    chunks = [*_fetch(municipality_id, since=since), *_fetch(municipality_id, after_id=after_id)]
    return np.concatenate(chunks) if chunks else np.empty(0, dtype=_ROW)


def _load_all(municipality_id: int) -> tuple[dict[str, np.ndarray], int | None]:
    """Every row as index columns in h3 order, and the newest `updated`. The columns are allocated
    once from a count and filled chunk by chunk, so the load needs little more than the index itself."""
    capacity = Report.objects.filter(municipality_id=municipality_id).count() + 1024
    cols = {c: np.empty(capacity, dtype=_COLUMN_TYPES.get(c, _ROW[c])) for c in _COLUMNS}
    size, newest = 0, None
    for chunk in _fetch(municipality_id):
        end = size + len(chunk)
        if end > capacity:  # rows added since the count
            capacity = max(end, capacity * 5 // 4)
            cols = {c: np.resize(col, capacity) for c, col in cols.items()}
        for c in _COLUMNS:
            cols[c][size:end] = chunk[c]
        newest = max(newest or 0, int(chunk["updated"].max()))
        size = end
    order = np.argsort(cols["h3"][:size], kind="stable")
    for c in _COLUMNS:  # one column at a time, so only one unsorted copy is alive at once
        cols[c] = cols[c][:size][order]
    return cols, newest


def _columns_sorted(rows: np.ndarray) -> dict[str, np.ndarray]:
    order = np.argsort(rows["h3"], kind="stable")
    return {c: rows[c][order].astype(_COLUMN_TYPES.get(c, _ROW[c]), copy=False) for c in _COLUMNS}


def _release_freed_memory() -> None:
    """Give the load's freed temporaries back to the OS (glibc keeps them otherwise); no-op elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _update(index: _Index, municipality_id: int, *, full: bool, verify: bool = False) -> None:
    """Rebuild (full) or fold the changed rows into the index. Call with index.lock held."""
    started = time.monotonic()
    if not full and index.snapshot is not None and verify:
        count = Report.objects.filter(municipality_id=municipality_id).count()
        full = count != len(index.snapshot)
        index.verified_at = started
    if full or index.snapshot is None or index.watermark_us is None:
        columns, newest = _load_all(municipality_id)
        index.snapshot = Snapshot(**columns)
        index.max_id = int(index.snapshot.id.max()) if len(index.snapshot) else 0
        # None (nothing seen yet) makes the next refresh a full load too, which is cheap while empty.
        index.watermark_us = newest
        index.verified_at = started
        del columns
        _release_freed_memory()
    else:
        since = _EPOCH + (index.watermark_us * _US) - _OVERLAP
        changed = _fetch_changes(municipality_id, since=since, after_id=index.max_id)
        if len(changed):
            index.snapshot = _merge(index.snapshot, changed)
            index.max_id = max(index.max_id, int(changed["id"].max()))
            index.watermark_us = max(index.watermark_us, int(changed["updated"].max()))
    index.refreshed_at = started


def _merge(snap: Snapshot, changed: np.ndarray) -> Snapshot:
    """A new snapshot with the changed rows replacing their old versions and new rows inserted in h3 order."""
    _, last = np.unique(changed["id"][::-1], return_index=True)
    changed = changed[::-1][last]  # one row per id, ascending
    stale = _isin(snap.id, changed["id"])
    at_old = np.flatnonzero(stale)
    if len(at_old) == len(changed):
        # Only rows read again for the overlap window: nothing to do when none of them changed.
        at_old = at_old[np.argsort(snap.id[at_old], kind="stable")]
        if all(np.array_equal(getattr(snap, c)[at_old], changed[c]) for c in _COLUMNS):
            return snap
    keep = ~stale if len(at_old) else None
    new = _columns_sorted(changed)
    kept_h3 = snap.h3 if keep is None else snap.h3[keep]
    at = np.searchsorted(kept_h3, new["h3"], side="right")
    del kept_h3
    # Column by column, so that besides the old and the new snapshot only one temporary column exists.
    columns = {}
    for c in _COLUMNS:
        old = getattr(snap, c)
        columns[c] = np.insert(old if keep is None else old[keep], at, new[c])
    return Snapshot(**columns)


# --- querying --------------------------------------------------------------------------------------
def _isin(column: np.ndarray, values: np.ndarray) -> np.ndarray:
    # A lookup table over the values' range is one pass over the column, but only for a compact range:
    # ids 1 and 10**18 would ask for an exabyte.
    if len(values) and int(values.max()) - int(values.min()) <= 4 * len(column) + 1024:
        return np.isin(column, values, kind="table")
    return np.isin(column, values)


def _member(column: np.ndarray, values: Iterable[int]) -> np.ndarray:
    unique = sorted(set(values))
    if len(unique) <= 4:
        mask = column == unique[0]
        for v in unique[1:]:
            mask |= column == v
        return mask
    bounds = np.iinfo(column.dtype)
    inside = [v for v in unique if bounds.min <= v <= bounds.max]  # others cannot match anything
    return _isin(column, np.asarray(inside, dtype=column.dtype))


def _status_codes(f: ReportFilter) -> set[int] | None:
    allowed: set[int] | None = None
    if f.statuses:
        allowed = {STATUS_CODES[s] for s in f.statuses if s in STATUS_CODES}
    if f.open311_status:
        group = {STATUS_CODES[s] for s in (OPEN if f.open311_status == "open" else CLOSED)}
        allowed = group if allowed is None else allowed & group
    if allowed is not None and STATUS_CODES[Status.SUBMITTED] in allowed:
        allowed.add(_ANONYMOUS_SUBMITTED)
    return allowed


def _to_us(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _US


def select(
    snap: Snapshot, f: ReportFilter, bbox: BBox | None = None, *, public_only: bool = False
) -> np.ndarray | None:
    """Positions (ascending, so still in h3 order) of the rows matching the filter and the bbox
    (south, west, north, east); None means every row. With public_only, unmoderated anonymous reports
    are left out. Same semantics as selectors.filtered, whose city says which of the two applies."""
    masks: list[np.ndarray] = []
    boxes = [bbox] if bbox else []
    if f.ids:
        masks.append(_member(snap.id, f.ids))
    else:
        if f.categories:
            masks.append(_member(snap.category, f.categories))
        if f.districts:
            masks.append(_member(snap.district, f.districts))
        if f.departments:
            masks.append(_member(snap.department, f.departments))
        codes = _status_codes(f)
        if codes is not None:
            lut = np.zeros(_ANONYMOUS_SUBMITTED + 1, dtype=bool)
            lut[list(codes)] = True
            masks.append(lut[snap.status])
        if f.start:
            masks.append(snap.created >= _to_us(f.start))
        if f.end:
            masks.append(snap.created <= _to_us(f.end))
        if f.bbox:
            boxes.append(f.bbox)
    rows = None
    if masks:
        mask = masks[0]
        for m in masks[1:]:
            mask &= m
        rows = np.flatnonzero(mask)
    if public_only and snap.public is not None:
        # The cached positions themselves when nothing else narrows them: clusters() caches their groups.
        rows = snap.public if rows is None else rows[snap.status[rows] != _ANONYMOUS_SUBMITTED]
    for box in boxes:
        rows = _within(snap, box, rows)
    return rows


def _within(snap: Snapshot, box: BBox, rows: np.ndarray | None) -> np.ndarray | None:
    """The rows (None: all) inside the box. After another filter the box is tested on those rows only,
    not on a million."""
    south, west, north, east = box
    lat_min, lon_min, lat_max, lon_max = snap.extent
    # A bound that every row is inside changes nothing: skip it.
    tests = [(c, op, v) for c, op, v, needed in (
        ("lat", np.greater_equal, south, south > lat_min),
        ("lat", np.less_equal, north, north < lat_max),
        ("lon", np.greater_equal, west, west > lon_min),
        ("lon", np.less_equal, east, east < lon_max),
    ) if needed]  # fmt: skip
    if not tests:
        return rows
    columns = {c: getattr(snap, c) if rows is None else getattr(snap, c)[rows] for c in {t[0] for t in tests}}
    inside = tests[0][1](columns[tests[0][0]], tests[0][2])
    for c, op, v in tests[1:]:
        inside &= op(columns[c], v)
    return np.flatnonzero(inside) if rows is None else rows[inside]


def group(
    h3: np.ndarray, lat: np.ndarray, lon: np.ndarray, ids: np.ndarray, resolution: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(count, mean lat, mean lon, id of the first member) per parent cell at `resolution`, for rows
    sorted by h3, all of STORE_RESOLUTION.

    Two such cells have the same parent exactly when they agree on every bit above the digits finer
    than `resolution` (geo.parents_np sets those digits to 7 and nothing else), so one shift finds the
    group boundaries; the parents themselves are never needed."""
    prefix = h3 >> np.int64(3 * (15 - resolution))
    starts = np.concatenate(([0], np.flatnonzero(prefix[1:] != prefix[:-1]) + 1))
    counts = np.diff(np.append(starts, len(h3)))
    return counts, np.add.reduceat(lat, starts) / counts, np.add.reduceat(lon, starts) / counts, ids[starts]


def _group_cached(snap: Snapshot, key, h3, lat, lon, ids, resolution: int):
    """The grouping, kept in the snapshot under `key` (the default map: every row or every public one;
    None: a filtered map, not kept)."""
    if key is None:
        return group(h3, lat, lon, ids, resolution)
    found = snap.groups.get((key, resolution))
    if found is None:
        found = snap.groups[(key, resolution)] = group(h3, lat, lon, ids, resolution)
    return found


def clusters(municipality, f: ReportFilter, zoom: int, bbox: BBox | None = None) -> dict:
    """The filtered reports inside bbox (south, west, north, east; None: the whole city) grouped by their
    H3 parent at the resolution for this zoom: {"clusters": [{"lat", "lon", "count", "id" when count
    is 1}], "total": n, "resolution": r}. A cluster sits at the mean of its members' positions. When a
    huge box at a close zoom would give more than MAX_CLUSTERS groups, a coarser resolution is used and
    returned."""
    snap = snapshot(municipality.pk)
    resolution = geo.zoom_to_resolution(zoom)
    public_only = municipality.hide_anonymous_until_moderated
    rows = select(snap, f, bbox, public_only=public_only)
    key = "all" if rows is None else "public" if public_only and rows is snap.public else None
    if rows is None:
        h3, lat, lon, ids = snap.h3, snap.lat, snap.lon, snap.id
    else:
        h3, lat, lon, ids = snap.h3[rows], snap.lat[rows], snap.lon[rows], snap.id[rows]
    if not len(h3):
        return {"clusters": [], "total": 0, "resolution": resolution}
    counts, mlat, mlon, first = _group_cached(snap, key, h3, lat, lon, ids, resolution)
    while len(counts) > MAX_CLUSTERS and resolution > 0:
        resolution -= 1
        counts, mlat, mlon, first = _group_cached(snap, key, h3, lat, lon, ids, resolution)
    out = []
    for la, lo, n, pk in zip(
        np.round(mlat, 6).tolist(), np.round(mlon, 6).tolist(), counts.tolist(), first.tolist(), strict=True
    ):
        item = {"lat": la, "lon": lo, "count": n}
        if n == 1:
            item["id"] = pk
        out.append(item)
    return {"clusters": out, "total": len(h3), "resolution": resolution}
