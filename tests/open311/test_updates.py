"""servicerequestupdates (FixMyStreet's extension): the public history of requests."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.core import clock
from gorod.reports.models import ReportEvent
from gorod.reports.services import report_transition
from tests.conftest import SPRING_DAY
from tests.open311.conftest import errors_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(frozen_spring, file_report, city):
    """A pothole accepted with a note, started with only a private note, then resolved."""
    report = file_report()
    with clock.frozen(SPRING_DAY + dt.timedelta(hours=1)):
        report_transition(report=report, action="accept", public_note="Принято в работу")
    with clock.frozen(SPRING_DAY + dt.timedelta(hours=2)):
        report_transition(report=report, action="start", private_note="бригада 7, телефон мастера")
    with clock.frozen(SPRING_DAY + dt.timedelta(days=1)):
        report_transition(report=report, action="resolve", public_note="Яма заделана")
    return report


def test_updates_list_status_changes_and_public_notes_oldest_first(o311, history):
    updates = o311.both("servicerequestupdates")
    events = {e.action: e for e in ReportEvent.objects.filter(report=history)}
    assert updates == [
        {
            "update_id": events["accept"].pk,
            "service_request_id": history.pk,
            "status": "open",
            "detailed_status": "accepted",
            "updated_datetime": "2026-05-13T11:00:00+03:00",
            "description": "Принято в работу",
            "media_url": None,
        },
        {
            "update_id": events["start"].pk,
            "service_request_id": history.pk,
            "status": "open",
            "detailed_status": "in_progress",
            "updated_datetime": "2026-05-13T12:00:00+03:00",
            "description": None,
            "media_url": None,
        },
        {
            "update_id": events["resolve"].pk,
            "service_request_id": history.pk,
            "status": "closed",
            "detailed_status": "resolved",
            "updated_datetime": "2026-05-14T10:00:00+03:00",
            "description": "Яма заделана",
            "media_url": None,
        },
    ]


def test_private_notes_and_the_submission_are_not_updates(o311, history, client):
    body = client.get("/open311/v2/servicerequestupdates.xml").content.decode()
    assert "бригада" not in body
    assert "submitted" not in body


def test_transfer_with_a_note_is_an_update_though_the_status_stays(o311, history, city, file_report):
    other = file_report()
    yards = city.departments.get(slug="yards")
    report_transition(report=other, action="transfer", public_note="Передано", department=yards)
    updates = o311.both("servicerequestupdates", service_request_id=str(other.pk))
    assert [(u["detailed_status"], u["description"]) for u in updates] == [("submitted", "Передано")]


def test_updates_of_one_request(o311, history, file_report):
    other = file_report()
    report_transition(report=other, action="accept")
    assert {u["service_request_id"] for u in o311.both("servicerequestupdates")} == {history.pk, other.pk}
    only = o311.both("servicerequestupdates", service_request_id=str(other.pk))
    assert [u["service_request_id"] for u in only] == [other.pk]


def test_updates_date_window(o311, history):
    since = o311.both("servicerequestupdates", start_date="2026-05-14T00:00:00+03:00")
    assert [u["detailed_status"] for u in since] == ["resolved"]
    until = o311.both("servicerequestupdates", end_date="2026-05-13T11:30:00+03:00")
    assert [u["detailed_status"] for u in until] == ["accepted"]


def test_updates_paging(o311, history):
    assert [u["detailed_status"] for u in o311.both("servicerequestupdates", page="2", page_size="2")] == [
        "resolved"
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "2026-01-01", "end_date": "2026-05-01"}, "end_date"),
        ({"start_date": "13/05/2026"}, "start_date"),
        ({"service_request_id": "abc"}, "service_request_id"),
        ({"page_size": "5000"}, "page_size"),
    ],
)
def test_bad_update_queries_are_400(o311, city, params, field):
    for fmt in ("json", "xml"):
        response = o311.get("servicerequestupdates", fmt, **params)
        assert response.status_code == 400
        assert errors_of(response)[0].startswith(f"{field}:")
