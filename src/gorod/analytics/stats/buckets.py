"""The fixed buckets of the rollups' histograms, and medians and percentiles read back from them.

Buckets are fixed so that histograms of any days, districts or categories add up. Resolution is in
working days of the city's calendar (the deadlines' unit), one bucket per day up to UNIT_DAYS so that the
median of /performance/ comes out exact wherever it is below that; first response is in hours."""

from __future__ import annotations

import numpy as np

# Lower bounds; a value v falls in the last bucket whose bound is <= v; the last bucket is open.
RESPONSE_HOURS = (0, 1, 4, 8, 24, 48, 72, 168)
UNIT_DAYS = 16
RESOLUTION_DAYS = (*range(UNIT_DAYS), 16, 21, 31, 61)
SCORES = (1, 2, 3, 4, 5)


def bucket_of(values: np.ndarray, bounds: tuple[int, ...]) -> np.ndarray:
    """Index of each value's bucket (values below the first bound go into the first bucket)."""
    return np.maximum(np.searchsorted(np.asarray(bounds), values, side="right") - 1, 0)


def histogram(values: np.ndarray, bounds: tuple[int, ...]) -> list[int]:
    return np.bincount(bucket_of(values, bounds), minlength=len(bounds)).tolist()


def quantile(counts: np.ndarray | list[int], bounds: tuple[int, ...], q: float) -> float | None:
    """The q-quantile (0 < q < 1) of the values counted, as numpy's default (linear) quantile would give
    where the values it needs sit in one-value buckets; inside a wider bucket the value is interpolated
    evenly across it, and in the open last bucket it is that bucket's lower bound. None: nothing counted."""
    counts = np.asarray(counts, dtype=np.int64)
    n = int(counts.sum())
    if n == 0:
        return None
    position = q * (n - 1)  # 0-based rank, as numpy's "linear" method
    low, high = int(np.floor(position)), int(np.ceil(position))
    a, b = _value_at(counts, bounds, low), _value_at(counts, bounds, high)
    return a + (b - a) * (position - low)


def _value_at(counts: np.ndarray, bounds: tuple[int, ...], rank: int) -> float:
    cumulative = np.cumsum(counts)
    index = int(np.searchsorted(cumulative, rank, side="right"))
    start = bounds[index]
    if index + 1 >= len(bounds):
        return float(start)
    width = bounds[index + 1] - start
    if width == 1:
        return float(start)
    before = int(cumulative[index - 1]) if index else 0
    inside = (rank - before + 0.5) / int(counts[index])
    return start + width * inside
