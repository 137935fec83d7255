"""Performance figures against a history whose right answers are worked out by hand (conftest.history)."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.analytics.performance import compute, performance
from gorod.city.models import Department, District
from gorod.core import clock
from gorod.reports.services import report_create
from tests.analytics.conftest import at

pytestmark = pytest.mark.django_db
MAY = (dt.date(2026, 5, 1), dt.date(2026, 5, 31))


def ids(city):
    d = {x.slug: x.pk for x in Department.objects.filter(municipality=city)}
    return d, {x.slug: x.pk for x in District.objects.filter(municipality=city)}


def test_figures_per_department(city, history):
    dep, _ = ids(city)
    perf = compute(city, *MAY)
    roads, yards = perf.by_department[dep["roads"]], perf.by_department[dep["yards"]]
    assert (roads.received, roads.resolved, roads.on_time) == (3, 3, 2)  # C was late by its old deadline
    assert roads.on_time_share == pytest.approx(2 / 3)
    assert roads.median_days == 7.0  # A 3, B 7, C 11: the holiday on 11 May is skipped, 16 May counted
    assert (roads.resolutions, roads.disputes, roads.disputed_share) == (4, 1, 0.25)
    assert (roads.ratings, roads.satisfaction) == (2, 3.5)
    assert (yards.received, yards.resolved, yards.on_time, yards.median_days) == (1, 1, 1, 2.0)
    assert (yards.disputed_share, yards.satisfaction) == (0.0, 4.0)
    assert dep["south-yards"] not in perf.by_department


def test_figures_per_district_and_totals(city, history):
    _, dis = ids(city)
    perf = compute(city, *MAY)
    north, south = perf.by_district[dis["north"]], perf.by_district[dis["south"]]
    assert (north.received, north.resolved, north.on_time, north.median_days) == (3, 3, 2, 3.0)  # 2, 3, 11
    assert (north.resolutions, north.disputes) == (4, 1)
    assert (north.ratings, north.satisfaction) == (2, 4.5)
    assert (south.received, south.resolved, south.on_time, south.median_days) == (1, 1, 1, 7.0)
    total = perf.totals
    assert (total.received, total.resolved, total.on_time, total.median_days) == (4, 4, 3, 5.0)  # 2 3 7 11
    assert (total.disputes, total.resolutions, total.ratings, total.rating_sum) == (1, 5, 3, 11)


def test_the_period_counts_what_happened_in_it(city, history):
    dep, _ = ids(city)
    # From 13 May: nothing received; first resolutions of B (18th) and C (21st); C's 2nd resolution.
    roads = compute(city, dt.date(2026, 5, 13), dt.date(2026, 5, 31)).by_department[dep["roads"]]
    assert (roads.received, roads.resolved, roads.on_time, roads.median_days) == (0, 2, 1, 9.0)
    assert (roads.resolutions, roads.disputes, roads.ratings) == (3, 1, 2)
    # Only 12 May: A's resolution and nothing else.
    roads = compute(city, dt.date(2026, 5, 12), dt.date(2026, 5, 12)).by_department[dep["roads"]]
    assert (roads.received, roads.resolved, roads.on_time, roads.median_days, roads.ratings) == (
        0,
        1,
        1,
        3.0,
        0,
    )


def test_both_ends_of_the_period_are_whole_local_days(city, new_report):
    for when in (
        at("2026-05-31", 0, 0),
        at("2026-05-31", 23, 59),
        at("2026-06-01", 0, 0),
        at("2026-05-30", 23, 59),
    ):
        with clock.frozen(when):
            report_create(municipality=city, data=new_report())
    assert compute(city, dt.date(2026, 5, 31), dt.date(2026, 5, 31)).totals.received == 2
    assert compute(city, dt.date(2026, 5, 30), dt.date(2026, 6, 1)).totals.received == 4


def test_an_empty_period_has_no_figures(city, history):
    perf = compute(city, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert perf.by_department == {} and perf.by_district == {}
    t = perf.totals
    assert (t.received, t.resolved, t.median_days, t.on_time_share, t.disputed_share, t.satisfaction) == (
        0,
        0,
        None,
        None,
        None,
        None,
    )


def test_results_are_cached_per_period(city, history, django_assert_num_queries):
    performance(city, *MAY)
    with django_assert_num_queries(0):
        performance(city, *MAY)
