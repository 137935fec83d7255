"""The demo city's dashboards (`seed_demo` rolls the statistics up): real figures, equal to the history."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from gorod.analytics.performance import compute
from gorod.analytics.stats.figures import performance
from gorod.analytics.stats.models import ReportDay, RollupState
from gorod.city.models import Municipality
from gorod.core import clock
from gorod.reports.models import Report

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 13, 15, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def test_demo_dashboards_show_the_demo_history(client, settings):
    with clock.frozen(NOW):
        call_command(
            "seed_demo", "--reports", "300", "--anchor", "2026-05-13", "--no-progress", stdout=io.StringIO()
        )
    city = Municipality.objects.get(slug="spb")
    assert RollupState.objects.get(municipality=city).through == dt.date(2026, 5, 12)
    filed = sum(ReportDay.objects.filter(municipality=city).values_list("filed", flat=True))
    assert filed == Report.objects.filter(municipality=city, created__lt=NOW.replace(hour=0)).count() > 100
    first, last = dt.date(2025, 5, 13), dt.date(2026, 5, 13)
    with clock.frozen(NOW):
        rolled, direct = performance(city, first, last), compute(city, first, last)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = client.get("/stats/").text
    assert dataclasses.asdict(rolled.totals) == dataclasses.asdict(direct.totals)
    assert rolled.totals.resolved > 0 and rolled.totals.ratings > 0
    assert "Median:" in html and "Nothing to show" not in html.split('id="chart-turnout"')[0]
    # Running the backfill again changes nothing.
    before = sorted(
        ReportDay.objects.values_list("day", "district", "category", "department", "filed", "resolved")
    )
    with clock.frozen(NOW):
        call_command("stats_rollup", "--from", "2025-05-01", "--to", "2026-05-12", stdout=io.StringIO())
    assert (
        sorted(
            ReportDay.objects.values_list("day", "district", "category", "department", "filed", "resolved")
        )
        == before
    )
