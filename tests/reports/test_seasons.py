"""Seasonal categories: out of season the form does not offer them; the window is written one way, the
local one (day.month), in the form's hint and in the refusal; Open311 keeps listing a seasonal service
and says in its description when it is accepted (docs/open311.md)."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest

from gorod.core import clock
from gorod.reports.models import Report
from tests.reports.test_views import form_data

pytestmark = pytest.mark.django_db
WINTER_DAY = dt.datetime(2026, 1, 20, 12, tzinfo=ZoneInfo("Europe/Moscow"))


def offered(html: str) -> set[str]:
    """The values of the category list's options."""
    select = re.search(r'<select id="id_category".*?</select>', html, re.S)[0]
    return set(re.findall(r'<option value="(\d+)"', select))


def test_out_of_season_a_category_is_not_offered(client, frozen_spring, categories):
    shown = offered(client.get("/reports/new/").content.decode())
    assert str(categories["graffiti-asphalt"].pk) in shown  # 16.04–15.10: in season in May
    assert str(categories["snow"].pk) not in shown  # 15.11–31.03
    assert str(categories["pothole"].pk) in shown


def test_in_winter_the_winter_category_is_offered_and_the_summer_one_is_not(client, categories):
    with clock.frozen(WINTER_DAY):
        shown = offered(client.get("/reports/new/").content.decode())
    assert str(categories["snow"].pk) in shown and str(categories["graffiti-asphalt"].pk) not in shown


def test_a_chosen_out_of_season_category_stays_chosen_beside_its_refusal(client, frozen_spring, categories):
    snow = str(categories["snow"].pk)
    html = client.post(
        "/reports/new/", form_data(categories, category=snow, **{"attribute[depth]": None})
    ).content
    html = html.decode()
    assert snow in offered(html) and f'<option value="{snow}" selected>' in html
    assert Report.objects.count() == 0


def test_the_hint_and_the_refusal_write_the_season_the_same_local_way(client, frozen_spring, categories):
    snow = categories["snow"].pk
    hint = client.get(f"/reports/new/attributes/?category={snow}").content.decode()
    refusal = client.post(
        "/reports/new/", form_data(categories, category=str(snow), **{"attribute[depth]": None})
    ).content.decode()
    assert "принимаются только в сезон: с 15.11 по 31.03." in hint
    assert "можно сообщить только с 15.11 по 31.03." in refusal
    for page in (hint, refusal):
        assert "11-15" not in page and "месяц" not in page


def test_open311_keeps_a_seasonal_service_and_says_when_it_is_accepted(client, frozen_spring, city):
    services = json.loads(client.get("/open311/v2/services.json?locale=en").content)
    by_code = {s["service_code"]: s for s in services}
    assert by_code["snow"]["description"] == "Accepted only from 15.11 to 31.03."
    assert by_code["pothole"]["description"] == "Ямы и выбоины на проезжей части"  # no season, no note
    russian = json.loads(client.get("/open311/v2/services.json").content)
    snow = next(s for s in russian if s["service_code"] == "snow")
    assert snow["description"] == "Принимается только с 15.11 по 31.03."
