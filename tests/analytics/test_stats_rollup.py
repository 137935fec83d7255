"""Daily rollups against direct counts over the reports' history (conftest.history, worked out by hand)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db.models import Count
from django.db.models.functions import TruncDate

from gorod.analytics.performance import compute
from gorod.analytics.stats import buckets, rollup
from gorod.analytics.stats.figures import performance
from gorod.analytics.stats.models import ReportDay, RollupState
from gorod.core import clock
from gorod.reports.models import Report
from gorod.reports.services import report_create, report_transition
from tests.analytics.conftest import MSK, at

pytestmark = pytest.mark.django_db
MAY = (dt.date(2026, 5, 1), dt.date(2026, 5, 31))


def stored(city):
    return sorted(
        ReportDay.objects.filter(municipality=city).values_list(
            "day", "district", "category", "department", "filed", "responded", "resolved", "on_time",
            "resolutions", "disputes", "response_hours", "resolution_days", "scores",
        )
    )  # fmt: skip


def same_figures(a, b):
    assert set(a) == set(b)
    for key in a:
        assert dataclasses.asdict(a[key]) == dataclasses.asdict(b[key]), key


def test_rolled_up_figures_equal_the_direct_computation(city, history):
    with clock.frozen(at("2026-06-02")):
        rollup.roll_days(municipality=city, first=MAY[0], last=MAY[1])
        direct, rolled = compute(city, *MAY), performance(city, *MAY)
    same_figures(direct.by_department, rolled.by_department)
    same_figures(direct.by_district, rolled.by_district)
    assert dataclasses.asdict(direct.totals) == dataclasses.asdict(rolled.totals)
    # A shorter period inside the rolled days: the same again.
    part = (dt.date(2026, 5, 13), dt.date(2026, 5, 31))
    with clock.frozen(at("2026-06-02")):
        same_figures(compute(city, *part).by_department, performance(city, *part).by_department)


def test_live_figures_without_rollups_equal_the_direct_computation(city, history):
    with clock.frozen(at("2026-06-02")):
        rolled = performance(city, *MAY)
    assert not ReportDay.objects.exists()
    assert dataclasses.asdict(compute(city, *MAY).totals) == dataclasses.asdict(rolled.totals)


def test_histograms_count_hours_to_first_response_and_working_days_to_resolve(city, history):
    rollup.roll_days(municipality=city, first=MAY[0], last=MAY[1])
    rows = ReportDay.objects.filter(municipality=city)
    response = [sum(c) for c in zip(*rows.values_list("response_hours", flat=True), strict=True)]
    # A, C and D accepted 2 hours after filing, B 26 hours after.
    assert response[buckets.RESPONSE_HOURS.index(1)] == 3 and response[buckets.RESPONSE_HOURS.index(24)] == 1
    assert sum(response) == 4
    days = [sum(c) for c in zip(*rows.values_list("resolution_days", flat=True), strict=True)]
    assert [i for i, n in enumerate(days) for _ in range(n)] == [2, 3, 7, 11]  # D, A, B, C
    scores = [sum(c) for c in zip(*rows.values_list("scores", flat=True), strict=True)]
    assert scores == [0, 1, 0, 1, 1]


def test_filed_per_day_equals_a_direct_count_over_reports(city, history):
    rollup.roll_days(municipality=city, first=MAY[0], last=MAY[1])
    direct = dict(
        Report.objects.filter(municipality=city)
        .annotate(d=TruncDate("created", tzinfo=MSK))
        .values_list("d")
        .annotate(n=Count("id"))
        .values_list("d", "n")
    )
    rolled: dict = {}
    for day, filed in ReportDay.objects.values_list("day", "filed"):
        if filed:
            rolled[day] = rolled.get(day, 0) + filed
    assert rolled == direct == {dt.date(2026, 5, 6): 4}


def test_rolling_again_gives_the_same_rows(city, history):
    rollup.roll_days(municipality=city, first=MAY[0], last=MAY[1])
    first, stamp = stored(city), RollupState.objects.get(municipality=city).stamp
    rollup.roll_days(municipality=city, first=MAY[0], last=MAY[1])
    assert stored(city) == first and len(first) > 0
    assert RollupState.objects.get(municipality=city).stamp != stamp  # readers reload


def test_the_daily_job_adds_the_new_day_and_keeps_the_rest(city, history, new_report):
    with clock.frozen(at("2026-06-01", 3)):
        rollup.roll_due(municipality=city)
    state = RollupState.objects.get(municipality=city)
    assert state.through == dt.date(2026, 5, 31)
    assert min(ReportDay.objects.values_list("day", flat=True)) == dt.date(
        2026, 5, 6
    )  # from the first report
    before = stored(city)
    with clock.frozen(at("2026-06-01", 10)):
        report = report_create(municipality=city, data=new_report())
    with clock.frozen(at("2026-06-01", 14)):
        report_transition(report=report, action="accept")
    with clock.frozen(at("2026-06-02", 3)):
        rollup.roll_due(municipality=city)
    after = stored(city)
    assert RollupState.objects.get(municipality=city).through == dt.date(2026, 6, 1)
    assert [r for r in after if r[0] < dt.date(2026, 5, 30)] == [
        r for r in before if r[0] < dt.date(2026, 5, 30)
    ]
    new = [r for r in after if r[0] == dt.date(2026, 6, 1)]
    assert [(r[4], r[5]) for r in new] == [(1, 1)]  # filed, answered 4 hours later
    assert new[0][10][buckets.RESPONSE_HOURS.index(4)] == 1


def test_todays_reports_count_live_before_the_job_runs(city, history, new_report):
    with clock.frozen(at("2026-06-01", 3)):
        rollup.roll_due(municipality=city)
    with clock.frozen(at("2026-06-01", 10)):
        report_create(municipality=city, data=new_report())
        june = performance(city, dt.date(2026, 6, 1), dt.date(2026, 6, 1))
    assert june.totals.received == 1


def test_the_hourly_job_rolls_once_a_day(city, history, settings):
    from gorod.analytics.tasks import roll_up_stats

    assert ("gorod.analytics.tasks.roll_up_stats", 3600) in settings.GOROD_PERIODIC_JOBS
    with clock.frozen(at("2026-06-01", 1)):
        assert roll_up_stats.call()[city.slug] > 0
    stamp = RollupState.objects.get(municipality=city).stamp
    with clock.frozen(at("2026-06-01", 2)):
        assert roll_up_stats.call()[city.slug] == 0  # nothing new today: readers keep what they hold
    assert RollupState.objects.get(municipality=city).stamp == stamp
    with clock.frozen(at("2026-06-02", 1)):
        roll_up_stats.call()
    assert RollupState.objects.get(municipality=city).through == dt.date(2026, 6, 1)


def test_the_command_refuses_bad_arguments(city):
    from django.core.management import CommandError, call_command

    for args in (
        ["--from", "2026-05-01"],
        ["--from", "x", "--to", "2026-05-01"],
        ["--city", "nowhere"],
        ["--from", "2026-05-02", "--to", "2026-05-01"],
        ["--rebuild", "--from", "2026-05-01", "--to", "2026-05-02"],
    ):
        with pytest.raises(CommandError):
            call_command("stats_rollup", *args)
    assert not ReportDay.objects.exists()


def test_rollups_loaded_in_small_chunks_give_the_same_figures(city, history, monkeypatch):
    from gorod.analytics.stats import cube

    monkeypatch.setattr(cube, "LOAD_CHUNK", 2)
    with clock.frozen(at("2026-06-02")):
        rollup.roll_days(municipality=city, first=MAY[0], last=MAY[1])
        assert ReportDay.objects.count() > 2
        rolled = performance(city, *MAY)
    assert dataclasses.asdict(rolled.totals) == dataclasses.asdict(compute(city, *MAY).totals)


def test_rows_with_short_histograms_load_padded_with_zeros(city, history):
    """Rows written before a bucket was added (or with an empty list) take the slow parse, not a crash."""
    from gorod.analytics.stats import cube

    with clock.frozen(at("2026-06-02")):
        rollup.roll_days(municipality=city, first=MAY[0], last=MAY[1])
        before = performance(city, *MAY)
        row = ReportDay.objects.filter(municipality=city, filed__gt=0).first()
        ReportDay.objects.filter(pk=row.pk).update(response_hours=[], scores=row.scores[:5])
        cube.reset()
        after = performance(city, *MAY)
    assert before.totals.received > 0
    assert dataclasses.asdict(after.totals) == dataclasses.asdict(before.totals)


def test_new_rollups_reload_in_the_background_and_the_held_rows_stay_exact_meanwhile(
    city, history, monkeypatch, settings
):
    from gorod.analytics.stats import cube

    settings.GOROD_STATS_RELOAD_IN_BACKGROUND = True
    started = []
    monkeypatch.setattr(cube, "_reload_in_background", started.append)
    with clock.frozen(at("2026-06-02")):
        rollup.roll_days(municipality=city, first=MAY[0], last=dt.date(2026, 5, 20))
        cube.reset()
        held_through, _ = cube._stored_for(city)
        assert held_through == dt.date(2026, 5, 20) and not started
        # The worker rolls the rest of May: the held rows keep answering, the later days come live.
        rollup.roll_days(municipality=city, first=dt.date(2026, 5, 21), last=MAY[1])
        stale = performance(city, *MAY)
        assert started == [city.pk]
        assert cube._stored_for(city)[0] == dt.date(2026, 5, 20)
        assert dataclasses.asdict(stale.totals) == dataclasses.asdict(compute(city, *MAY).totals)
        cube._load_now(city.pk)  # what the background thread does
        assert cube._stored_for(city)[0] == MAY[1]


def test_warm_loads_every_municipality_with_rollups(city, history):
    from gorod.analytics.stats import cube

    with clock.frozen(at("2026-06-02")):
        rollup.roll_days(municipality=city, first=MAY[0], last=MAY[1])
    cube.reset()
    cube.warm()
    assert city.pk in cube._stored and cube._stored[city.pk][1] == MAY[1]
