import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from gorod.reports.filters import MAX_VALUES, is_empty, parse_filters, to_params

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


def parse(city, query: str):
    return parse_filters(QueryDict(query), city)


def test_no_parameters_give_an_empty_filter_and_no_errors(city):
    report_filter, errors = parse(city, "")
    assert is_empty(report_filter)
    assert errors == {}


def test_known_ids_statuses_and_dates_are_kept(city, categories):
    north = city.districts.get(slug="north")
    pothole, litter = categories["pothole"], categories["litter"]
    report_filter, errors = parse(
        city,
        f"category={pothole.pk}&category={litter.pk}&district={north.pk}&status=submitted&status=accepted"
        "&from=2026-05-01&to=2026-05-13",
    )
    assert errors == {}
    assert report_filter.categories == (pothole.pk, litter.pk)
    assert report_filter.districts == (north.pk,)
    assert report_filter.statuses == ("submitted", "accepted")
    # Both days are included, in the city's time zone.
    assert report_filter.start == dt.datetime(2026, 5, 1, tzinfo=MSK)
    assert report_filter.end.date() == dt.date(2026, 5, 13)
    assert report_filter.end.astimezone(MSK).time() == dt.time.max


def test_malformed_and_unknown_ids_are_dropped_with_a_message(city, categories):
    pothole = categories["pothole"]
    report_filter, errors = parse(city, f"category=abc&category={pothole.pk}&district=999999&district=-1")
    assert report_filter.categories == (pothole.pk,)
    assert report_filter.districts == ()
    assert "abc" in errors["category"]
    assert "district" in errors


def test_ids_of_another_city_are_unknown(city, categories):
    from gorod.city.models import Municipality

    other = Municipality.objects.create(
        slug="other", name="Другой", jurisdiction_id="other.example", center_lat=0, center_lon=0
    )
    report_filter, errors = parse_filters(QueryDict(f"category={categories['pothole'].pk}"), other)
    assert report_filter.categories == ()
    assert "category" in errors


def test_unknown_status_is_dropped_with_a_message(city):
    report_filter, errors = parse(city, "status=submitted&status=<script>")
    assert report_filter.statuses == ("submitted",)
    assert "status" in errors


@pytest.mark.parametrize(
    "value", ["2026-13-01", "2026-02-30", "13.05.2026", "2026-W20-3", "yesterday", "0001-01-01"]
)
def test_malformed_dates_are_dropped_with_a_message(city, value):
    report_filter, errors = parse(city, f"from={value}")
    assert report_filter.start is None
    assert "from" in errors


def test_end_before_start_drops_the_end(city):
    report_filter, errors = parse(city, "from=2026-05-10&to=2026-05-01")
    assert report_filter.start is not None
    assert report_filter.end is None
    assert "to" in errors


def test_blank_values_from_the_form_mean_no_filter(city):
    report_filter, errors = parse(city, "category=&district=&status=&from=&to=")
    assert is_empty(report_filter)
    assert errors == {}


def test_huge_numbers_and_floods_of_values_do_not_raise(city):
    flood = "&".join(f"category={10_000 + i}" for i in range(MAX_VALUES * 3))
    report_filter, errors = parse(city, f"{flood}&district={'9' * 40}")
    assert report_filter.categories == ()
    assert set(errors) == {"category", "district"}


def test_to_params_gives_back_the_same_filter(city, categories):
    north = city.districts.get(slug="north")
    query = (
        f"category={categories['pothole'].pk}&district={north.pk}&status=accepted"
        "&from=2026-05-01&to=2026-05-13"
    )
    report_filter, _ = parse(city, query)
    rebuilt = QueryDict(mutable=True)
    for key, value in to_params(report_filter, city):
        rebuilt.appendlist(key, value)
    again, errors = parse_filters(rebuilt, city)
    assert errors == {}
    assert again == report_filter
