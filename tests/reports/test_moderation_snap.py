"""A moderator's correction of the place follows the same rule as filing (city.districts.
district_for_report): a point just outside a district goes to it, a far one is refused."""

from __future__ import annotations

import pytest

from gorod.reports.models import Report
from gorod.reports.services import ReportInvalid, moderation
from gorod.reports.workflow import Status

pytestmark = pytest.mark.django_db


def test_a_corrected_place_in_the_gap_snaps_and_a_far_one_is_refused(staff, file_report, frozen_spring):
    report = file_report()
    with pytest.raises(ReportInvalid):
        moderation.report_accept(
            report=report, actor=staff["moderator"], corrections=moderation.Corrections(lat=60.0, lon=30.41)
        )
    moderation.report_accept(
        report=report, actor=staff["moderator"], corrections=moderation.Corrections(lat=59.849, lon=30.3)
    )
    report = Report.objects.get(pk=report.pk)
    assert report.status == Status.ACCEPTED
    assert report.district.slug == "south" and (report.lat, report.lon) == (59.849, 30.3)
