"""The /performance/ figures read from the rollups (analytics.performance.compute counts the same from
the reports' history directly and is the reference the tests hold these to)."""

from __future__ import annotations

import datetime as dt

from gorod.analytics.performance import Figures, Performance
from gorod.analytics.stats.cube import Totals, select
from gorod.city.models import Municipality


def figures(key: int, t: Totals) -> Figures:
    c = t.counts
    return Figures(
        key=key,
        received=c["filed"],
        resolved=c["resolved"],
        on_time=c["on_time"],
        median_days=t.resolution_quantile(0.5),
        resolutions=c["resolutions"],
        disputes=c["disputes"],
        rating_sum=t.rating_sum,
        ratings=t.ratings,
    )


def performance(municipality: Municipality, first: dt.date, last: dt.date) -> Performance:
    rows = select(municipality, first, last)
    by_department = {k: figures(k, t) for k, t in rows.sums_by("department").items() if k >= 0}
    by_district = {k: figures(k, t) for k, t in rows.sums_by("district").items()}
    return Performance(first, last, by_department, by_district, figures(0, rows.sums()))
