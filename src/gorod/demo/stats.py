"""The dashboards' rollups for the demo (a `seed_demo` extra, run last: it counts what the others
added — ratings, disputes, ballots). Rebuilt whole, as seed_demo may have replaced the reports."""

from __future__ import annotations

import datetime as dt

from gorod.analytics.stats import rollup
from gorod.city.models import Municipality


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    rows = rollup.rebuild(municipality=municipality)
    stdout.write(f"Statistics: {rows} daily rows rolled up")
