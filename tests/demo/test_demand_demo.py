"""Demo usage counters: plausible, the same for the same seed, seeded once, and last month's report
made from them (with its PDF)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from gorod.analytics.demand import selectors
from gorod.analytics.demand.models import DemandCounter, DemandReport
from gorod.core import clock
from gorod.demo import demand

pytestmark = pytest.mark.django_db
ANCHOR = dt.date(2026, 5, 13)


@pytest.fixture
def seeded(city):
    with clock.frozen(dt.datetime(2026, 5, 13, 15, tzinfo=dt.UTC)):
        demand.seed(municipality=city, seed=7, anchor=ANCHOR, stdout=io.StringIO())
        yield city


def test_counters_cover_the_month_before_last_to_the_anchor(seeded):
    days = DemandCounter.objects.filter(municipality=seeded).values_list("day", flat=True).distinct()
    assert min(days) == dt.date(2026, 3, 1) and max(days) == ANCHOR and len(days) == 31 + 30 + 13


def test_seeding_twice_leaves_one_copy_and_a_seed_gives_the_same_numbers(seeded):
    before = sorted(DemandCounter.objects.values_list("day", "kind", "key", "value"))
    demand.seed(municipality=seeded, seed=7, anchor=ANCHOR, stdout=io.StringIO())
    assert sorted(DemandCounter.objects.values_list("day", "kind", "key", "value")) == before
    again = [(r.kind, r.key, r.value) for r in demand._day(seeded, 7, ANCHOR, dt.date(2026, 3, 1))]
    assert sorted(again) == sorted((k, key, v) for d, k, key, v in before if d == ANCHOR)


def test_last_months_report_has_real_figures_and_a_kept_pdf(seeded):
    f = selectors.demand_figures(seeded, dt.date(2026, 4, 1))
    assert 40_000 < f.visitors.value < 90_000 and f.visitors.change is not None
    report = next(x for x in f.funnels if x.key == "report")
    assert report.steps[0].value > report.steps[1].value > report.steps[2].value > 0
    assert f.terms and all(t.value >= 3 for t in f.terms)
    kept = DemandReport.objects.get(municipality=seeded, month=dt.date(2026, 4, 1))
    assert bytes(kept.pdf).startswith(b"%PDF")
