"""The daily escalation of overdue reports to department heads, and the dead letters page."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.backoffice import tasks
from gorod.backoffice.escalation import escalate_overdue
from gorod.core import clock
from gorod.core.crypto import lookup_hash
from gorod.notifications.models import Channel, Delivery
from gorod.notifications.scheduler import jobs
from gorod.reports.models import Report
from tests.backoffice.states import bring_to
from tests.conftest import MSK

pytestmark = pytest.mark.django_db
LATER = dt.datetime(2026, 6, 10, 10, 0, tzinfo=MSK)


def test_heads_get_one_list_of_overdue_reports_a_day(staff, file_report, frozen_spring, city):
    late = bring_to(file_report(), "accepted")
    bring_to(file_report(), "resolved")  # closed: not overdue
    assert escalate_overdue(municipality=city) == 0  # nothing is late yet
    with clock.frozen(LATER):
        assert escalate_overdue(municipality=city) == 1  # the roads head only
        escalate_overdue(municipality=city)  # a restarted worker runs it again
        tasks.escalate_overdue.call()
    to_head = Delivery.objects.filter(channel=Channel.EMAIL, recipient_hash=lookup_hash(staff["head"].email))
    mails = list(to_head)
    assert len(mails) == 1
    assert mails[0].recipient == staff["head"].email
    assert f"№ {late.pk}" in mails[0].payload and f"/backoffice/reports/{late.pk}/" in mails[0].payload
    assert "ivan@example.org" not in mails[0].payload and "Иван" not in mails[0].payload
    with clock.frozen(LATER + dt.timedelta(days=1)):
        assert escalate_overdue(municipality=city) == 1
    assert to_head.all().count() == 2  # the next day's list
    assert Report.objects.get(pk=late.pk).status == "accepted"  # escalation changes no report


def test_escalation_is_on_the_worker_timetable():
    assert any(path == "gorod.backoffice.tasks.escalate_overdue" for path, _ in jobs())


def _dead(city, report) -> Delivery:
    return Delivery.objects.create(
        channel=Channel.WEBHOOK,
        municipality=city,
        key="k" * 64,
        kind="webhook",
        report=report,
        payload="{}",
        state=Delivery.State.DEAD,
        attempts=8,
        last_error="HTTP 500",
    )


def test_dead_letters_are_listed_and_retried_by_the_city_admin(client_for, file_report, frozen_spring, city):
    delivery = _dead(city, file_report())
    page = client_for("auditor").get("/backoffice/deliveries/")
    assert page.status_code == 200 and "HTTP 500" in page.content.decode()
    assert b"/retry/" not in page.content
    assert client_for("executor").get("/backoffice/deliveries/").status_code == 403
    assert client_for("moderator").post(f"/backoffice/deliveries/{delivery.pk}/retry/").status_code == 403
    assert Delivery.objects.get(pk=delivery.pk).state == Delivery.State.DEAD
    response = client_for("admin").post(f"/backoffice/deliveries/{delivery.pk}/retry/")
    assert response.status_code == 302
    assert Delivery.objects.get(pk=delivery.pk).state == Delivery.State.PENDING
    assert client_for("admin").post(f"/backoffice/deliveries/{delivery.pk}/retry/").status_code == 404


def test_mails_not_sent_on_purpose_are_listed_with_their_reason_and_cannot_be_retried(
    client_for, file_report, frozen_spring, city
):
    report = file_report()
    dropped = Delivery.objects.create(
        municipality=city,
        key="d" * 64,
        kind="author",
        channel="email",
        recipient="ivan@example.org",
        report=report,
        payload="{}",
        state=Delivery.State.DROPPED,
        last_error="not sent: the address was not confirmed within 7 days",
    )
    page = client_for("auditor").get("/backoffice/deliveries/").content.decode()
    assert "not sent: the address was not confirmed within 7 days" in page
    assert "ivan@example.org" not in page
    assert client_for("admin").post(f"/backoffice/deliveries/{dropped.pk}/retry/").status_code == 404
    assert Delivery.objects.get(pk=dropped.pk).state == Delivery.State.DROPPED
