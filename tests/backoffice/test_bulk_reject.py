"""Bulk reject in moderation (issue 9, item 3): a flood of reports is rejected with one reason, after one
confirmation; each report gets its own event and is checked on its own; only those who may reject may."""

from __future__ import annotations

import pytest

from gorod.city.models import RejectionReason
from gorod.reports.models import Report, ReportEvent
from gorod.reports.workflow import Status
from tests.backoffice.states import bring_to

pytestmark = pytest.mark.django_db
URL = "/backoffice/moderation/reject/"


@pytest.fixture
def flood(file_report, frozen_spring):
    return [file_report(description=f"Купите слонов http://spam.example/{i}", photos=[]) for i in range(3)]


@pytest.fixture
def abusive():
    return RejectionReason.objects.get(code="abusive")


def _statuses(reports) -> list[str]:
    return [Report.objects.get(pk=r.pk).status for r in reports]


def test_the_moderation_queue_offers_to_reject_the_selected_reports(flood, client_for, abusive):
    html = client_for("moderator").get("/backoffice/moderation/").content.decode()
    assert f'action="{URL}"' in html
    assert all(f'name="ids" value="{r.pk}" form="bulk-reject"' in html for r in flood)
    assert f'<option value="{abusive.pk}">' in html
    assert URL not in client_for("auditor").get("/backoffice/moderation/").content.decode()


def test_a_flood_is_rejected_with_one_reason_after_one_confirmation(flood, client_for, abusive, staff):
    accepted = bring_to(flood[0], "accepted")
    ids = [r.pk for r in flood[1:]] + [accepted.pk]
    client = client_for("moderator")
    data = {"ids": ids, "reason": abusive.pk, "reject_text": "Реклама"}

    confirm = client.post(URL, data)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Купите слонов http://spam.example/1" in html and abusive.name in html and "Реклама" in html
    assert _statuses(flood[1:]) == [Status.SUBMITTED, Status.SUBMITTED]  # nothing happens before confirming
    assert not ReportEvent.objects.filter(action="reject").exists()

    done = client.post(URL, data | {"confirmed": "1"})
    assert done.status_code == 200
    outcomes = {o.report_id: o.ok for o in done.context["outcomes"]}
    assert outcomes == {flood[1].pk: True, flood[2].pk: True, accepted.pk: False}
    assert _statuses(flood[1:]) == [Status.REJECTED, Status.REJECTED]
    assert Report.objects.get(pk=accepted.pk).status == Status.ACCEPTED
    for report in flood[1:]:
        (event,) = ReportEvent.objects.filter(report=report, action="reject")
        assert event.actor == staff["moderator"] and event.changes == {"rejection_reason": ["", "abusive"]}
        assert Report.objects.get(pk=report.pk).status_reason == f"{abusive.name}\n\nРеклама"
    assert 'href="/backoffice/moderation/"' in done.content.decode()


@pytest.mark.parametrize("role", ["executor", "head", "auditor", "citizen"])
def test_those_who_may_not_reject_cannot_reject_in_bulk(role, flood, client_for, abusive):
    data = {"ids": [r.pk for r in flood], "reason": abusive.pk, "confirmed": "1"}
    assert client_for(role).post(URL, data).status_code == 403
    assert _statuses(flood) == [Status.SUBMITTED] * 3


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "", "confirmed": "1"},  # no reason
        {"reason": "999999", "confirmed": "1"},  # not a reason of this city
        {"ids": [], "confirmed": "1"},  # nothing chosen
        {"ids": ["abc", "99999999999999999999"], "confirmed": "1"},  # no such reports
    ],
)
def test_a_bulk_reject_without_a_reason_or_reports_is_refused_clearly(data, flood, client_for, abusive):
    data = {"ids": [r.pk for r in flood], "reason": abusive.pk} | data
    response = client_for("moderator").post(URL, data)
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert _statuses(flood) == [Status.SUBMITTED] * 3
