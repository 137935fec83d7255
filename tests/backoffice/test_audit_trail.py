"""The audit trail as the back office writes and shows it: a deliberate, audited look at contact details,
moderation decisions, role changes in the admin, and the auditors' page (filtered, without contacts)."""

from __future__ import annotations

import json

import pytest

from gorod.accounts.models import User
from gorod.core.models import AuditEntry
from tests.backoffice.states import bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def test_contacts_are_shown_only_when_asked_for_and_each_look_is_audited(staff, client_for, file_report):
    report = bring_to(file_report(contact_email="ivan@example.org", contact_phone="+7 900"), "accepted")
    moderator = client_for("moderator")
    page = moderator.get(f"/backoffice/reports/{report.pk}/").content.decode()
    assert "ivan@example.org" not in page and "+7 900" not in page and "Show contact details" in page
    assert _entries("report.contacts_viewed") == []

    response = moderator.post(f"/backoffice/reports/{report.pk}/contacts/", REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "ivan@example.org" in response.content.decode() and "+7 900" in response.content.decode()
    (entry,) = _entries("report.contacts_viewed")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        staff["moderator"].pk,
        "report",
        str(report.pk),
    )
    assert entry.origin == "198.51.100.4"
    assert "ivan" not in json.dumps(entry.detail) and "Иван" not in json.dumps(entry.detail)


def test_a_look_refused_writes_nothing(client_for, file_report):
    report = bring_to(file_report(), "accepted")
    assert client_for("auditor").post(f"/backoffice/reports/{report.pk}/contacts/").status_code == 403
    assert client_for("other_executor").post(f"/backoffice/reports/{report.pk}/contacts/").status_code == 404
    assert client_for("moderator").get(f"/backoffice/reports/{report.pk}/contacts/").status_code == 405
    assert _entries("report.contacts_viewed") == []


def test_moderation_decisions_are_audited_with_their_event(staff, client_for, file_report):
    report = file_report()
    assert client_for("moderator").post(f"/backoffice/reports/{report.pk}/accept/", {}).status_code == 302
    (entry,) = _entries("report.accept")
    assert entry.actor_id == staff["moderator"].pk and entry.object_id == str(report.pk)
    assert entry.detail["from"] == "submitted" and entry.detail["to"] == "accepted"
    assert entry.detail["event"] == report.events.get(action="accept").pk


def test_what_citizens_and_departments_do_is_not_a_moderation_decision(staff, file_report):
    from gorod.reports.services import moderation

    report = bring_to(file_report(), "accepted")
    moderation.report_act(report=report, actor=staff["executor"], action="start")
    assert not AuditEntry.objects.filter(action__in=["report.start", "report.submit"]).exists()


def test_a_role_change_in_the_admin_is_audited(city, client, file_report):
    admin = User.objects.create_superuser(username="root", password="x", role=User.Role.CITY_ADMIN)
    from tests.helpers import login_verified

    login_verified(client, admin)
    citizen = User.objects.create_user(username="vera", password="x", email="vera@example.org")
    page = client.get(f"/admin/accounts/user/{citizen.pk}/change/")
    assert page.status_code == 200
    (look,) = _entries("account.contacts_viewed")
    assert look.actor_id == admin.pk and look.object_id == str(citizen.pk)
    form = {
        "username": "vera",
        "display_name": "",
        "first_name": "",
        "last_name": "",
        "email_encrypted": "vera@example.org",
        "role": User.Role.MODERATOR,
        "department": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-05-13",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-05-13",
        "initial-date_joined_1": "10:00:00",
    }
    response = client.post(f"/admin/accounts/user/{citizen.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    (change,) = _entries("account.access_change")
    assert change.detail["role"] == "moderator" and change.detail["role_before"] == "citizen"
    assert "vera" not in json.dumps(change.detail)


def test_auditors_read_and_filter_the_trail_without_contact_details(staff, client_for, file_report):
    report = bring_to(file_report(contact_email="ivan@example.org"), "accepted")
    other = bring_to(file_report(), "accepted")
    client_for("moderator").post(f"/backoffice/reports/{report.pk}/contacts/")
    client_for("executor").post(f"/backoffice/reports/{other.pk}/contacts/")
    auditor = client_for("auditor")
    html = auditor.get("/backoffice/audit/").content.decode()
    assert "Audit trail" in html and html.count("ooked at a report") >= 3  # two rows and the filter
    assert "ivan@example.org" not in html and "Иван" not in html
    only = auditor.get(
        f"/backoffice/audit/?actor={staff['executor'].pk}&action=report.contacts_viewed"
    ).content
    assert f"/backoffice/reports/{other.pk}/" in only.decode()
    assert f"/backoffice/reports/{report.pk}/" not in only.decode()
    by_object = auditor.get(f"/backoffice/audit/?object_type=report&object_id={report.pk}").content.decode()
    assert "moderator" in by_object and "executor #" not in by_object
    junk = auditor.get("/backoffice/audit/?actor=x&action=drop%20table&start=2026-99-01&object_id=%27")
    assert junk.status_code == 200


@pytest.mark.parametrize(
    "role, status", [("admin", 200), ("moderator", 403), ("executor", 403), ("citizen", 403)]
)
def test_only_auditors_and_city_administrators_read_the_trail(role, status, client_for, city):
    assert client_for(role).get("/backoffice/audit/").status_code == status


def test_the_trail_page_takes_the_same_queries_for_3_or_30_entries(
    staff, client_for, file_report, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gorod.core import audit

    def add(n):
        for i in range(n):
            audit.record(
                action="report.contacts_viewed",
                actor=staff[("moderator", "executor")[i % 2]],
                object_type="report",
                object_id=i,
            )

    client = client_for("auditor")
    client.get("/backoffice/audit/")  # the session and the city's caches are warm from here on
    add(3)
    with CaptureQueriesContext(connection) as few:
        client.get("/backoffice/audit/")
    add(27)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/backoffice/audit/")
