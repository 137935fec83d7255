"""The rollups as numpy columns, for the dashboards and /performance/.

Summing a year of ReportDay rows in SQL for every chart would cost SQLite hundreds of milliseconds at a
million reports; so each process keeps a municipality's stored rows in memory (reloaded when the
RollupState stamp changes, i.e. once a day) and answers every filter and grouping with numpy masks and
bincounts. Days after the last rolled-up one (normally only today) are computed live by the same code
that writes the rollups (rollup.rows_between) and cached for TAIL_TTL_S."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import numpy as np
from django.core.cache import cache

from gorod.analytics.stats import buckets
from gorod.analytics.stats.models import ReportDay, RollupState
from gorod.analytics.stats.rollup import COUNTS, rows_between
from gorod.city.models import Municipality
from gorod.core import clock

TAIL_TTL_S = 60
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


@dataclasses.dataclass(frozen=True)
class Cube:
    """Rows of (day, district, category, department) with their figures; department -1: none."""

    day: np.ndarray  # datetime64[D]
    district: np.ndarray
    category: np.ndarray
    department: np.ndarray
    counts: np.ndarray  # (n, len(COUNTS))
    response: np.ndarray  # (n, len(RESPONSE_HOURS))
    resolution: np.ndarray  # (n, len(RESOLUTION_DAYS))
    scores: np.ndarray  # (n, 5)

    def __len__(self) -> int:
        return len(self.day)

    def count(self, name: str) -> np.ndarray:
        return self.counts[:, COUNTS.index(name)]

    def take(self, rows: np.ndarray) -> Cube:
        return Cube(**{f.name: getattr(self, f.name)[rows] for f in dataclasses.fields(self)})

    def select(
        self,
        first: dt.date,
        last: dt.date,
        *,
        districts: Sequence[int] = (),
        categories: Sequence[int] = (),
        departments: Sequence[int] = (),
    ) -> Cube:
        mask = (self.day >= np.datetime64(first, "D")) & (self.day <= np.datetime64(last, "D"))
        for column, wanted in (
            (self.district, districts),
            (self.category, categories),
            (self.department, departments),
        ):
            if wanted:
                mask &= np.isin(column, np.asarray(wanted, dtype=np.int64))
        return self.take(np.flatnonzero(mask))

    def by(self, column: str) -> dict[int, Cube]:
        """The rows split by a key column (district, category, department) or "month" (key: the
        month's first day as an ordinal)."""
        keys = (
            self.day.astype("datetime64[M]").astype(np.int64) if column == "month" else getattr(self, column)
        )
        out: dict[int, Cube] = {}
        for key in np.unique(keys).tolist():
            out[int(key)] = self.take(np.flatnonzero(keys == key))
        return out

    def sums(self) -> Totals:
        return Totals(
            counts=dict(zip(COUNTS, self.counts.sum(axis=0).tolist(), strict=True)),
            response=self.response.sum(axis=0),
            resolution=self.resolution.sum(axis=0),
            scores=self.scores.sum(axis=0),
        )

    def sums_by(self, column: str) -> dict[int, Totals]:
        """Totals per key of `column` (district, category, department), computed in one pass."""
        keys = getattr(self, column)
        if not len(keys):
            return {}
        unique, inverse = np.unique(keys, return_inverse=True)

        def add(matrix: np.ndarray) -> np.ndarray:
            out = np.zeros((len(unique), matrix.shape[1]), dtype=np.int64)
            np.add.at(out, inverse, matrix)
            return out

        counts, response, resolution, scores = (
            add(m) for m in (self.counts, self.response, self.resolution, self.scores)
        )
        return {
            int(k): Totals(
                dict(zip(COUNTS, counts[i].tolist(), strict=True)), response[i], resolution[i], scores[i]
            )
            for i, k in enumerate(unique.tolist())
        }


@dataclasses.dataclass(frozen=True)
class Totals:
    counts: dict[str, int]
    response: np.ndarray
    resolution: np.ndarray
    scores: np.ndarray

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


def _from_rows(rows: list[tuple]) -> Cube:
    n = len(rows)
    columns = list(zip(*rows, strict=True)) if n else [()] * len(_FIELDS)
    nc = len(COUNTS)

    def matrix(values, width: int) -> np.ndarray:
        return np.array(values, dtype=np.int64).reshape(n, width) if n else np.zeros((0, width), np.int64)

    return Cube(
        day=np.array(columns[0], dtype="datetime64[D]"),
        district=np.array(columns[1], dtype=np.int64),
        category=np.array(columns[2], dtype=np.int64),
        department=np.array([-1 if v is None else v for v in columns[3]], dtype=np.int64),
        counts=matrix(list(zip(*columns[4 : 4 + nc], strict=True)), nc),
        response=matrix(list(columns[4 + nc]), len(buckets.RESPONSE_HOURS)),
        resolution=matrix(list(columns[5 + nc]), len(buckets.RESOLUTION_DAYS)),
        scores=matrix(list(columns[6 + nc]), len(buckets.SCORES)),
    )


def _concat(a: Cube, b: Cube) -> Cube:
    if not len(b):
        return a
    return Cube(
        **{f.name: np.concatenate([getattr(a, f.name), getattr(b, f.name)]) for f in dataclasses.fields(a)}
    )


_lock = threading.Lock()
_stored: dict[int, tuple[str, dt.date, Cube]] = {}


def reset() -> None:
    """Forget what this process holds (tests)."""
    with _lock:
        _stored.clear()


def _stored_cube(municipality: Municipality) -> tuple[dt.date | None, Cube]:
    state = RollupState.objects.filter(municipality=municipality).values_list("stamp", "through").first()
    if state is None:
        return None, _from_rows([])
    stamp, through = state
    held = _stored.get(municipality.pk)
    if held is None or held[0] != stamp:
        rows = list(ReportDay.objects.filter(municipality=municipality).order_by().values_list(*_FIELDS))
        held = (stamp, through, _from_rows(rows))
        with _lock:
            _stored[municipality.pk] = held
    return held[1], held[2]


def cube(municipality: Municipality, first: dt.date, last: dt.date) -> Cube:
    """Every row that may fall in local days first..last: the stored rollups and, for the days after
    them, live rows (cached for TAIL_TTL_S). Callers still select() the period."""
    through, stored = _stored_cube(municipality)
    today = clock.today(ZoneInfo(municipality.timezone))
    tail_first = max(first, through + dt.timedelta(days=1)) if through else first
    tail_last = min(last, today)
    if tail_first > tail_last:
        return stored
    key = f"gorod:stats:tail:v1:{municipality.pk}:{through}:{tail_first}:{tail_last}"
    tail = cache.get(key)
    if tail is None:
        tail = _from_rows(
            [tuple(r[f] for f in _FIELDS) for r in rows_between(municipality, tail_first, tail_last)]
        )
        cache.set(key, tail, TAIL_TTL_S)
    return _concat(stored, tail)
