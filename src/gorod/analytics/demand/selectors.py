"""The monthly demand report's figures: one grouped query over the month's counters and one over the
previous month's, plus the reports filed under a catch-all category (read from the reports themselves)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, Sum

from gorod.analytics.demand import catalog
from gorod.analytics.demand.models import DemandCounter, DemandReport
from gorod.city.models import Category, Municipality
from gorod.core import clock
from gorod.reports.models import Report

Kind = DemandCounter.Kind
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_MONTH = dt.date(2000, 1, 1)
TOP_TERMS = 20
LANGUAGES = dict(settings.LANGUAGES)


def parse_month(text: str, municipality: Municipality) -> dt.date | None:
    """The first day of a YYYY-MM month that has begun in the city, else None."""
    found = MONTH.match(text or "")
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12:
        return None
    first = dt.date(year, month, 1)
    if first < FIRST_MONTH or first > current_month(municipality):
        return None
    return first


def current_month(municipality: Municipality) -> dt.date:
    return clock.today(ZoneInfo(municipality.timezone)).replace(day=1)


def next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def _totals(municipality: Municipality, first: dt.date) -> dict[tuple[str, str], int]:
    rows = (
        DemandCounter.objects.filter(municipality=municipality, day__gte=first, day__lt=next_month(first))
        .values_list("kind", "key")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return {(kind, key): total for kind, key, total in rows}


def catch_all() -> Q:
    """Categories meaning "other / nothing fitted": service code `other` or ending in `-other`."""
    return Q(category__service_code="other") | Q(category__service_code__endswith="-other")


def _reports(municipality: Municipality, first: dt.date) -> tuple[int, int]:
    tz = ZoneInfo(municipality.timezone)
    start = dt.datetime.combine(first, dt.time(), tz)
    end = dt.datetime.combine(next_month(first), dt.time(), tz)
    month = Report.objects.filter(municipality=municipality, created__gte=start, created__lt=end)
    return month.count(), month.filter(catch_all()).count()


def _pct(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    previous: int
    share: float | None = None  # of the month's total, 0..1

    @property
    def change(self) -> int | None:
        """Percent change from the previous month (None when there is nothing to compare with)."""
        return round((self.value - self.previous) * 100 / self.previous) if self.previous else None

    @property
    def share_pct(self) -> int | None:
        return _pct(self.share)


@dataclass(frozen=True)
class StepFigure:
    label: str
    value: int
    of_first: float | None  # share of the funnel's first step
    lost: int | None  # went no further than this step (None for the last step)

    @property
    def pct(self) -> int | None:
        return _pct(self.of_first)


@dataclass(frozen=True)
class FunnelFigure:
    key: str
    label: str
    steps: list[StepFigure]
    previous_rate: float | None  # last step / first step, previous month
    rate: float | None

    @property
    def rate_pct(self) -> int | None:
        return _pct(self.rate)

    @property
    def previous_rate_pct(self) -> int | None:
        return _pct(self.previous_rate)

    @property
    def worst(self) -> StepFigure | None:
        losing = [s for s in self.steps if s.lost]
        return max(losing, key=lambda s: s.lost or 0) if losing else None


@dataclass
class DemandFigures:
    municipality: Municipality
    month: dt.date
    previous: dt.date
    visitors: Figure
    services: list[Figure]
    funnels: list[FunnelFigure]
    devices: list[Figure]
    languages: list[Figure]
    searches: list[Figure]
    terms: list[Figure]
    reports: Figure
    other_reports: Figure
    daily: list[tuple[dt.date, int]] = field(default_factory=list)
    stored: bool = False  # the worker has kept this month's PDF
    has_catch_all: bool = False  # the classifier has an "other" category at all

    @property
    def has_data(self) -> bool:
        return bool(self.visitors.value or self.reports.value)

    @property
    def busiest(self) -> int:
        return max((n for _, n in self.daily), default=0)

    @property
    def chart_width(self) -> int:
        return 10 * len(self.daily)

    @property
    def bars(self) -> list[tuple[int, int, int, dt.date, int]]:
        """x, y, height (in a 100-high box), day and visitors of each day's bar."""
        top = self.busiest or 1
        out = []
        for i, (day, n) in enumerate(self.daily):
            h = round(n * 100 / top)
            out.append((i * 10 + 1, 100 - h, h, day, n))
        return out


def _rows(now, before, kind: str, keys: list[tuple[str, Any]], total: int | None = None) -> list[Figure]:
    return [
        Figure(key, str(label), now.get((kind, key), 0), before.get((kind, key), 0),
               (now.get((kind, key), 0) / total) if total else None)
        for key, label in keys
    ]  # fmt: skip


def _keys_of(now, before, kind: str) -> list[str]:
    return sorted({k for (c, k) in (*now, *before) if c == kind})


def _rate(counts: dict, funnel: catalog.Funnel) -> float | None:
    first = counts.get((Kind.FUNNEL, f"{funnel.key}:{funnel.steps[0].key}"), 0)
    last = counts.get((Kind.FUNNEL, f"{funnel.key}:{funnel.steps[-1].key}"), 0)
    return min(1.0, last / first) if first else None


def _funnel(now, before, funnel: catalog.Funnel) -> FunnelFigure:
    values = [now.get((Kind.FUNNEL, f"{funnel.key}:{s.key}"), 0) for s in funnel.steps]
    steps = []
    for i, step in enumerate(funnel.steps):
        lost = max(0, values[i] - values[i + 1]) if i + 1 < len(values) else None
        of_first = min(1.0, values[i] / values[0]) if values[0] else None
        steps.append(StepFigure(str(step.label), values[i], of_first, lost))
    return FunnelFigure(funnel.key, str(funnel.label), steps, _rate(before, funnel), _rate(now, funnel))


def daily_visitors(municipality: Municipality, first: dt.date) -> list[tuple[dt.date, int]]:
    end = next_month(first)
    rows = dict(
        DemandCounter.objects.filter(municipality=municipality, kind=Kind.DEVICE, day__gte=first, day__lt=end)
        .values_list("day")
        .annotate(total=Sum("value"))
        .order_by()
    )
    days = (end - first).days
    return [(first + dt.timedelta(days=i), rows.get(first + dt.timedelta(days=i), 0)) for i in range(days)]


def demand_figures(municipality: Municipality, month: dt.date) -> DemandFigures:
    before_month = previous_month(month)
    now, before = _totals(municipality, month), _totals(municipality, before_month)
    visitors = sum(v for (kind, _), v in now.items() if kind == Kind.DEVICE)
    visitors_before = sum(v for (kind, _), v in before.items() if kind == Kind.DEVICE)
    reports, other = _reports(municipality, month)
    reports_before, other_before = _reports(municipality, before_month)
    terms = _rows(
        now, before, Kind.SEARCH_TERM, [(k, k.split(":", 1)[-1]) for k in _keys_of(now, {}, Kind.SEARCH_TERM)]
    )
    return DemandFigures(
        municipality=municipality,
        month=month,
        previous=before_month,
        visitors=Figure("visitors", "", visitors, visitors_before),
        services=_rows(now, before, Kind.VISIT, [(s.key, s.label) for s in catalog.SERVICES]),
        funnels=[_funnel(now, before, f) for f in catalog.FUNNELS],
        devices=_rows(
            now, before, Kind.DEVICE, [(d, catalog.DEVICE_LABELS[d]) for d in catalog.DEVICES], visitors
        ),
        languages=_rows(
            now,
            before,
            Kind.LANGUAGE,
            [(k, LANGUAGES.get(k, k)) for k in _keys_of(now, before, Kind.LANGUAGE)],
            visitors,
        ),
        searches=_rows(
            now,
            before,
            Kind.SEARCH_EMPTY,
            [(k, catalog.search_label(k)) for k in _keys_of(now, before, Kind.SEARCH_EMPTY)],
        ),
        terms=sorted(terms, key=lambda f: (-f.value, f.label))[:TOP_TERMS],
        reports=Figure("reports", "", reports, reports_before),
        other_reports=Figure("other", "", other, other_before, (other / reports) if reports else None),
        daily=daily_visitors(municipality, month),
        stored=DemandReport.objects.filter(municipality=municipality, month=month).exists(),
        has_catch_all=Category.objects.filter(
            Q(service_code="other") | Q(service_code__endswith="-other"), municipality=municipality
        ).exists(),
    )


def stored_reports(municipality: Municipality):
    return (
        DemandReport.objects.filter(municipality=municipality)
        .order_by("-month")
        .values_list("month", "created")
    )
