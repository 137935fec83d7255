"""The public performance page and its CSV: figures shown, ranking, periods, and bad query strings."""

from __future__ import annotations

import csv
import io

import pytest

from gorod.core import clock
from tests.analytics.conftest import at

pytestmark = pytest.mark.django_db
MAY = {"from": "2026-05-01", "to": "2026-05-31"}


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_page_shows_the_figures_and_ranks_by_on_time_share(en, history):
    html = en.get("/performance/", MAY).text
    assert "How the departments perform" in html
    roads, yards = html.index("Roads Department"), html.index("Housing Agency</")
    assert yards < roads  # yards 100 % on time, roads 66.7 %
    assert "66.7" in html and "of 3 resolved" in html and "1 of 4" in html and "2 ratings" in html
    assert 'aria-sort="descending"' in html and "higher is better" in html
    assert "/reports/?district=" in html  # districts link to their reports


def test_ranking_by_median_puts_the_fastest_first(en, history):
    html = en.get("/performance/", MAY | {"sort": "median_days"}).text
    assert html.index("Housing Agency</") < html.index("Roads Department")
    assert "lower is better" in html and 'aria-sort="ascending"' in html
    html = en.get("/performance/", MAY | {"sort": "received"}).text
    assert html.index("Roads Department") < html.index("Housing Agency</")


def test_presets_and_the_default_period(en, history):
    with clock.frozen(at("2026-05-31", 12)):
        default = en.get("/performance/").text
        year = en.get("/performance/", {"period": "year"}).text
    assert 'id="period-30d" value="30d" checked' in default
    assert 'value="year" checked' in year and "June 1, 2025" in year


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-13-45"},
        {"from": "garbage", "to": "2026-05-01"},
        {"from": "2026-05-31", "to": "2026-05-01"},
        {"from": "1900-01-01", "to": "2026-05-01"},
        {"from": "2000-01-01", "to": "2026-05-01"},
        {"period": "decade"},
        {"sort": "'; drop table"},
        {"from": "\x00", "period": "\u202e"},
        {"to": "99999-01-01"},
    ],
)
def test_bad_parameters_give_a_message_not_an_error(en, history, params):
    with clock.frozen(at("2026-05-31", 12)):
        response = en.get("/performance/", params)
        csv_response = en.get("/performance/csv/", params)
    assert response.status_code == 200 and csv_response.status_code == 200
    assert 'class="notice notice-warning"' in response.text


def test_an_empty_period_renders(en, city):
    html = en.get("/performance/", {"from": "2025-01-01", "to": "2025-01-31"}).text
    assert "Roads Department" in html and "—" in html


def test_csv_of_departments_and_districts(en, history):
    response = en.get("/performance/csv/", MAY | {"by": "department"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="performance-department-2026-05-01-2026-05-31.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_name = {r["name"]: r for r in rows}
    roads = by_name["Roads Department"]
    assert (roads["rank"], roads["received"], roads["on_time_share"], roads["median_working_days"]) == (
        "2",
        "3",
        "0.6667",
        "7.0",
    )
    assert (roads["disputed_share"], roads["satisfaction_mean"], roads["satisfaction_count"]) == (
        "0.2500",
        "3.50",
        "2",
    )
    assert by_name["South Housing Agency"]["rank"] == ""
    districts = en.get("/performance/csv/", MAY | {"by": "district"}).content.decode()
    assert "North" in districts and "South" in districts
    assert en.get("/performance/csv/", {"by": "nonsense"}).status_code == 400


def test_post_is_not_allowed(en, city):
    assert en.post("/performance/").status_code == 405
