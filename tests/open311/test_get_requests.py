"""GET requests, requests/{id} and tokens/{token}: content, filters, extensions, paging and query counts."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.core import clock
from gorod.reports.services import report_transition
from tests.conftest import SPRING_DAY
from tests.open311.conftest import JURISDICTION, copies_of, errors_of

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def ids_of(items) -> list[int]:
    return [i["service_request_id"] for i in items]


def test_request_list_carries_every_spec_field(o311, frozen_spring, file_report):
    report = file_report(address="Невский проспект, 1")
    (item,) = o311.both("requests", jurisdiction_id=JURISDICTION)
    assert set(item) == REQUEST_FIELDS
    assert item == {
        "service_request_id": report.pk,
        "status": "open",
        "status_notes": None,
        "service_name": "Яма на дороге",
        "service_code": "pothole",
        "description": "Глубокая яма у дома 5",
        "agency_responsible": "Дорожное управление",
        "service_notice": item["service_notice"],
        "requested_datetime": "2026-05-13T10:00:00+03:00",
        "updated_datetime": "2026-05-13T10:00:00+03:00",
        "expected_datetime": "2026-05-26T23:59:59+03:00",
        "address": "Невский проспект, 1",
        "address_id": None,
        "zipcode": None,
        "lat": 60.0,
        "long": 30.3,
        "media_url": None,
    }
    assert "2026-05-26" in item["service_notice"]


def test_closed_request_shows_its_reason_and_closing_time(o311, frozen_spring, file_report):
    report = file_report()
    later = SPRING_DAY + dt.timedelta(days=2, hours=3)
    with clock.frozen(later):
        report_transition(
            report=report, action="reject", public_note="Не в ведении города", private_note="спам?"
        )
    (item,) = o311.both(f"requests/{report.pk}")
    assert item["status"] == "closed"
    assert item["status_notes"] == "Не в ведении города"
    assert item["updated_datetime"] == "2026-05-15T13:00:00+03:00"
    assert item["service_notice"] is None


def test_status_notes_is_the_last_public_note(o311, frozen_spring, file_report):
    report = file_report()
    report_transition(report=report, action="accept", public_note="Принято")
    report_transition(report=report, action="start", private_note="внутреннее")
    (item,) = o311.both(f"requests/{report.pk}")
    assert item["status_notes"] == "Принято"
    assert item["status"] == "open"


def test_list_defaults_to_the_most_recent_90_days(o311, frozen_spring, file_report):
    recent = file_report()
    old = copies_of(recent, 1, start=SPRING_DAY - dt.timedelta(days=91), step=dt.timedelta(0))[0]
    assert ids_of(o311.both("requests")) == [recent.pk]
    assert o311.get(f"requests/{old.pk}").status_code == 200


def test_list_returns_at_most_1000_newest_first(o311, frozen_spring, file_report):
    first = file_report()
    copies = copies_of(first, 1005, start=SPRING_DAY - dt.timedelta(days=30), step=dt.timedelta(minutes=30))
    items = o311.both("requests")
    assert len(items) == 1000
    newest = sorted([first, *copies], key=lambda r: (r.created, r.pk), reverse=True)
    assert ids_of(items) == [r.pk for r in newest[:1000]]


def test_paging_walks_the_same_order(o311, frozen_spring, file_report):
    first = file_report()
    copies_of(first, 4, start=SPRING_DAY - dt.timedelta(days=1), step=dt.timedelta(hours=1))
    everything = ids_of(o311.both("requests"))
    pages = [ids_of(o311.both("requests", page=p, page_size=2)) for p in (1, 2, 3, 4)]
    assert pages == [everything[0:2], everything[2:4], everything[4:5], []]


def test_service_request_id_overrides_every_other_filter(o311, frozen_spring, file_report, categories):
    old = file_report()
    old_copy = copies_of(old, 1, start=SPRING_DAY - dt.timedelta(days=400), step=dt.timedelta(0))[0]
    closed = file_report(category=categories["litter"], attributes={})
    report_transition(report=closed, action="reject", public_note="нет")
    items = o311.both(
        "requests",
        service_request_id=f"{old_copy.pk}, {closed.pk},999999",
        status="open",
        service_code="snow",
        start_date="2026-05-01",
        end_date="2026-05-02",
        bbox="0,0,1,1",
        page_size="1",
    )
    assert sorted(ids_of(items)) == sorted([old_copy.pk, closed.pk])


def test_service_code_filter_takes_a_comma_list(o311, frozen_spring, file_report, categories):
    pothole = file_report()
    litter = file_report(category=categories["litter"], attributes={})
    file_report(category=categories["graffiti-asphalt"], attributes={})
    assert ids_of(o311.both("requests", service_code="pothole")) == [pothole.pk]
    assert set(ids_of(o311.both("requests", service_code="pothole,litter"))) == {pothole.pk, litter.pk}


def test_status_filter(o311, frozen_spring, file_report):
    open_ = file_report()
    closed = file_report()
    report_transition(report=closed, action="reject", public_note="нет")
    assert ids_of(o311.both("requests", status="open")) == [open_.pk]
    assert ids_of(o311.both("requests", status="closed")) == [closed.pk]
    assert set(ids_of(o311.both("requests", status="open,closed"))) == {open_.pk, closed.pk}
    assert set(ids_of(o311.both("requests", status=""))) == {open_.pk, closed.pk}


def test_date_range_filter(o311, frozen_spring, file_report):
    report = file_report()
    early = copies_of(report, 1, start=SPRING_DAY - dt.timedelta(days=40), step=dt.timedelta(0))[0]
    in_april = {"start_date": "2026-04-01T00:00:00+03:00", "end_date": "2026-04-30T23:59:59+03:00"}
    assert ids_of(o311.both("requests", **in_april)) == [early.pk]
    assert ids_of(o311.both("requests", start_date="2026-05-13")) == [report.pk]
    assert ids_of(o311.both("requests", start_date="2026-05-13T07:00:00Z")) == [report.pk]
    assert ids_of(o311.both("requests", end_date="2026-04-03")) == [early.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:01Z"}, "end_date"),
        ({"start_date": "2026-05-10", "end_date": "2026-05-01"}, "end_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "2026-13-01"}, "start_date"),
        ({"end_date": "2026-02-30T00:00:00Z"}, "end_date"),
        ({"start_date": "0001-01-01T00:00:00+05:00"}, "start_date"),
        ({"start_date": "9" * 500}, "start_date"),
        ({"start_date": "<script>"}, "start_date"),
    ],
)
def test_bad_dates_are_400(o311, city, params, field):
    for fmt in ("json", "xml"):
        response = o311.get("requests", fmt, **params)
        assert response.status_code == 400
        assert errors_of(response)[0].startswith(f"{field}:")


def test_range_of_exactly_90_days_is_allowed(o311, city):
    response = o311.get("requests", start_date="2026-01-01T00:00:00Z", end_date="2026-04-01T00:00:00Z")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "pending"}, "status"),
        ({"service_code": "nope"}, "service_code"),
        ({"service_code": "pothole,<b>"}, "service_code"),
        ({"service_request_id": "12,abc"}, "service_request_id"),
        ({"service_request_id": "1" * 40}, "service_request_id"),
        ({"service_request_id": ",".join(["1"] * 1001)}, "service_request_id"),
        ({"page_size": "1001"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"extensions": "maybe"}, "extensions"),
        ({"bbox": "30,59,31"}, "bbox"),
        ({"bbox": "31,59,30,60"}, "bbox"),
        ({"bbox": "30,60,31,59"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "30,59,181,60"}, "bbox"),
        ({"bbox": "nan,59,31,60"}, "bbox"),
        ({"lat": "60", "long": "30.3", "radius": "5001"}, "radius"),
        ({"lat": "60", "long": "30.3", "radius": "0"}, "radius"),
        ({"lat": "60", "long": "30.3", "radius": "1e3"}, "radius"),
        ({"lat": "60", "long": "30.3"}, "radius"),
        ({"radius": "100"}, "radius"),
        ({"lat": "north", "long": "30.3", "radius": "100"}, "lat"),
        ({"lat": "60", "long": "200", "radius": "100"}, "long"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(o311, city, params, field):
    for fmt in ("json", "xml"):
        response = o311.get("requests", fmt, **params)
        assert response.status_code == 400, params
        assert errors_of(response)[0].startswith(f"{field}:")


def test_bbox_filter(o311, frozen_spring, file_report):
    north = file_report(lat=60.0, lon=30.3)
    south = file_report(lat=59.9, lon=30.3)
    assert ids_of(o311.both("requests", bbox="30.2,59.95,30.4,60.05")) == [north.pk]
    assert ids_of(o311.both("requests", bbox="30.2,59.85,30.4,59.95")) == [south.pk]


def test_radius_filter_uses_true_distance(o311, frozen_spring, file_report):
    centre = file_report(lat=60.0, lon=30.3)
    # ~612 m north and ~612 m east (~865 m away): inside the box around a 700 m circle, not in the circle.
    corner = file_report(lat=60.0 + 0.0055, lon=30.3 + 0.011)
    near = file_report(lat=60.005, lon=30.3)  # ~556 m north
    found = ids_of(o311.both("requests", lat="60.0", long="30.3", radius="700"))
    assert set(found) == {centre.pk, near.pk}
    assert corner.pk in ids_of(o311.both("requests", lat="60.0", long="30.3", radius="1000"))


def test_radius_with_paging(o311, frozen_spring, file_report):
    first = file_report()
    copies_of(first, 4, start=SPRING_DAY - dt.timedelta(days=1), step=dt.timedelta(hours=1))
    far = file_report(lat=59.9)
    all_near = ids_of(o311.both("requests", lat="60", long="30.3", radius="100"))
    assert far.pk not in all_near and len(all_near) == 5
    page2 = ids_of(o311.both("requests", lat="60", long="30.3", radius="100", page="2", page_size="2"))
    assert page2 == all_near[2:4]


def test_extensions_add_the_detailed_attributes(o311, frozen_spring, file_report):
    report = file_report(attributes={"depth": "12", "size": "large", "hazards": ["water", "dark"]})
    report_transition(report=report, action="accept")
    (item,) = o311.both("requests", extensions="true", locale="en")
    assert item["extended_attributes"] == {
        "detailed_status": "accepted",
        "district": "North",
        "department": "Roads Department",
        "deadline": "2026-05-26",
        "moderation_due": "2026-05-14",
        "media_urls": [],
        "attributes": [
            {"code": "depth", "values": [12.0]},
            {"code": "hazards", "values": ["water", "dark"]},
            {"code": "size", "values": ["large"]},
        ],
    }
    (plain,) = o311.both("requests")
    assert "extended_attributes" not in plain


def test_one_request_by_id(o311, frozen_spring, file_report):
    report = file_report()
    (item,) = o311.both(f"requests/{report.pk}", jurisdiction_id=JURISDICTION)
    assert item["service_request_id"] == report.pk
    assert set(item) == REQUEST_FIELDS


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_id_is_404(o311, city, fmt):
    response = o311.get("requests/424242", fmt)
    assert response.status_code == 404
    assert errors_of(response)[0].startswith("service_request_id:")


@pytest.mark.parametrize("bad_id", ["abc", "12a", "-1", "1.5", "²", "٣", "9" * 40])
def test_non_numeric_request_id_is_400(o311, city, bad_id):
    response = o311.get(f"requests/{bad_id}", "xml")
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("service_request_id:")


def test_token_gives_the_request_id(o311, frozen_spring, file_report):
    report = file_report()
    assert o311.both(f"tokens/{report.token}") == [
        {"service_request_id": report.pk, "token": str(report.token)}
    ]


@pytest.mark.parametrize(
    "token", ["00000000-0000-4000-8000-000000000000", "not-a-token", "1" * 500, "%3Cscript%3E"]
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_or_malformed_token_is_404(o311, frozen_spring, file_report, token, fmt):
    file_report()
    response = o311.get(f"tokens/{token}", fmt)
    assert response.status_code == 404
    assert errors_of(response)[0].startswith("token:")


def test_token_of_another_municipality_is_not_found(o311, second_city, frozen_spring, file_report):
    report = file_report()
    assert o311.get(f"tokens/{report.token}", jurisdiction_id="other.example").status_code == 404


def test_list_of_1000_takes_a_fixed_number_of_queries(
    o311, frozen_spring, file_report, django_assert_num_queries
):
    from tests.conftest import make_jpeg

    first = file_report(photos=[make_jpeg()])
    report_transition(report=first, action="accept", public_note="Принято")
    copies_of(first, 999, start=SPRING_DAY - dt.timedelta(days=10), step=dt.timedelta(minutes=10))
    # The list of municipalities, and the city's category and department names, are then kept per
    # process (the names until the city file is imported again: open311/listing.py).
    o311.get("requests", "json")
    # The page of requests, the district names (first asked with extensions), their photos, their last
    # public notes.
    with django_assert_num_queries(4):
        response = o311.get("requests", "json", extensions="true")
    assert response.status_code == 200
    with django_assert_num_queries(3):
        assert o311.get("requests", "xml", jurisdiction_id=JURISDICTION).status_code == 200
    # Service codes are looked up among the kept category names: no query more.
    with django_assert_num_queries(3):
        assert o311.get("requests", "json", service_code="pothole,litter").status_code == 200


def test_empty_list_is_an_empty_array_and_an_empty_element(o311, city):
    assert o311.both("requests") == []
    assert b"<service_requests></service_requests>" in o311.get("requests", "xml").content


def test_bbox_and_radius_together_mean_both(o311, frozen_spring, file_report):
    centre = file_report(lat=60.0, lon=30.3)
    east = file_report(lat=60.0, lon=30.33)  # ~1.7 km east
    file_report(lat=59.9, lon=30.3)
    both = {"bbox": "30.2,59.95,30.4,60.05", "lat": "60.0", "long": "30.3", "radius": "5000"}
    assert set(ids_of(o311.both("requests", **both))) == {centre.pk, east.pk}
    west_half = {**both, "bbox": "30.2,59.95,30.31,60.05"}
    assert ids_of(o311.both("requests", **west_half)) == [centre.pk]
