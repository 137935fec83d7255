"""Open311 POST places a point as the web form does (city.districts.district_for_report): a point just
outside a district goes to it, a far one is refused naming lat/long."""

from __future__ import annotations

import json

import pytest

from gorod.reports.models import Report
from tests.open311.test_post_requests import refused

pytestmark = pytest.mark.django_db


def test_a_point_in_the_gap_near_a_district_is_filed_in_it(o311, frozen_spring, form):
    response = o311.post(**form(lat="60.0", long="30.402"))
    assert response.status_code == 200, response.content[:500]
    (item,) = json.loads(response.content)
    report = Report.objects.get(pk=item["service_request_id"])
    assert report.district.slug == "north"
    assert (report.lat, report.lon) == (60.0, 30.402)


def test_a_point_beyond_the_snap_distance_is_refused(o311, frozen_spring, form):
    (error,) = refused(o311, form(lat="60.0", long="30.41"))
    assert error.startswith("lat/long:")
