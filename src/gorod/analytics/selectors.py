"""The performance tables as the page and the CSV show them: names, ranks and the order."""

from __future__ import annotations

import dataclasses

from gorod.analytics.performance import Figures, Performance
from gorod.analytics.periods import COLUMNS
from gorod.city.models import Department, District, Municipality


@dataclasses.dataclass(frozen=True)
class Row:
    key: int
    name: str
    figures: Figures
    rank: int | None  # None: nothing to rank by in this column


def value(figures: Figures, column: str) -> float | None:
    return {
        "received": float(figures.received),
        "on_time": figures.on_time_share,
        "median_days": figures.median_days,
        "disputed": figures.disputed_share,
        "satisfaction": figures.satisfaction,
    }[column]


def rows(performance: Performance, municipality: Municipality, group: str, sort: str) -> list[Row]:
    """Every department (or district) of the city, better first by `sort`; ties share a rank, groups
    with nothing to measure come last, unranked, in name order."""
    if group == "department":
        names = {d.pk: d.label for d in Department.objects.filter(municipality=municipality)}
        table = performance.by_department
    else:
        names = {d.pk: d.label for d in District.objects.filter(municipality=municipality)}
        table = performance.by_district
    higher_better = COLUMNS[sort][1]
    measured: list[tuple[float, str, Figures]] = []
    unmeasured: list[tuple[None, str, Figures]] = []
    for key, name in names.items():
        figures = table.get(key) or Figures(key=key)
        v = value(figures, sort)
        if v is not None and (sort != "received" or v > 0):
            measured.append((v, name, figures))
        else:
            unmeasured.append((None, name, figures))
    measured.sort(key=lambda t: (-t[0] if higher_better else t[0], t[1]))
    unmeasured.sort(key=lambda t: t[1])
    out: list[Row] = []
    previous, rank = None, 0
    for index, (v, name, figures) in enumerate(measured, start=1):
        if v != previous:
            rank, previous = index, v
        out.append(Row(figures.key, name, figures, rank))
    out += [Row(figures.key, name, figures, None) for _, name, figures in unmeasured]
    return out
