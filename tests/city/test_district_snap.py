"""Snapping: a pin in a gap between districts (or just past a boundary) is filed in the nearest district
within GOROD_DISTRICT_SNAP_M; farther away it is outside the city, as before. The test city's districts
end at longitude 30.4, where 0.001° is about 56 m."""

from __future__ import annotations

import pytest

from gorod.city.districts import district_for_report
from gorod.city.models import District
from gorod.reports.models import Report
from gorod.reports.services import ReportInvalid

pytestmark = pytest.mark.django_db

NEAR = (60.0, 30.402)  # about 110 m east of the north district
FAR = (60.0, 30.41)  # about 560 m east of it


def test_a_point_inside_a_district_is_in_it(city):
    assert district_for_report(city.pk, 60.0, 30.3) == District.objects.get(slug="north").pk


def test_a_point_near_a_district_goes_to_the_nearest_one(city):
    assert district_for_report(city.pk, *NEAR) == District.objects.get(slug="north").pk
    # Just below the south district's lower edge (59.85): the south one, not the north.
    assert district_for_report(city.pk, 59.849, 30.3) == District.objects.get(slug="south").pk


def test_a_point_far_from_every_district_is_outside(city):
    assert district_for_report(city.pk, *FAR) is None
    assert district_for_report(city.pk, 55.75, 37.62) is None


def test_the_distance_is_a_setting_and_zero_turns_snapping_off(city, settings):
    settings.GOROD_DISTRICT_SNAP_M = 0
    assert district_for_report(city.pk, *NEAR) is None
    settings.GOROD_DISTRICT_SNAP_M = 1000
    assert district_for_report(city.pk, *FAR) == District.objects.get(slug="north").pk


def test_a_gap_between_two_districts_goes_to_the_nearer(city):
    """Two districts with a 200 m sliver between them: each side of the middle goes to its own."""
    from gorod.city.districts import invalidate_districts

    north = District.objects.get(slug="north")
    # Move the north district's lower edge up by 0.0018° (200 m): a gap 59.95–59.9518.
    north.boundary = {
        "type": "Polygon",
        "coordinates": [[[30.2, 59.9518], [30.4, 59.9518], [30.4, 60.05], [30.2, 60.05], [30.2, 59.9518]]],
    }
    north.save(update_fields=["boundary"])
    invalidate_districts()
    assert district_for_report(city.pk, 59.9514, 30.3) == north.pk
    assert district_for_report(city.pk, 59.9503, 30.3) == District.objects.get(slug="south").pk


def test_report_create_files_a_point_near_the_city_in_that_district(file_report, frozen_spring):
    report = file_report(lat=NEAR[0], lon=NEAR[1])
    assert report.district.slug == "north"
    assert (report.lat, report.lon) == NEAR  # the pin stays where the resident put it


def test_report_create_refuses_a_far_point_with_the_same_message(file_report, frozen_spring):
    with pytest.raises(ReportInvalid) as caught:
        file_report(lat=FAR[0], lon=FAR[1])
    assert "location" in caught.value.message_dict
    assert (
        "outside" in caught.value.message_dict["location"][0]
        or "за пределами" in (caught.value.message_dict["location"][0])
    )
    assert not Report.objects.exists()


def test_the_web_form_files_a_point_in_the_gap_and_refuses_a_far_one(client, frozen_spring, categories):
    from tests.reports.test_views import form_data

    client.cookies["django_language"] = "en"
    response = client.post("/reports/new/", form_data(categories, lat=str(FAR[0]), lon=str(FAR[1])))
    assert response.status_code == 200 and "This place is outside Testgrad." in response.text
    response = client.post("/reports/new/", form_data(categories, lat=str(NEAR[0]), lon=str(NEAR[1])))
    assert response.status_code == 302
    assert Report.objects.get().district.slug == "north"
