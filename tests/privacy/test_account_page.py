"""The account page (my reports, follows and alerts, security, privacy), the data export and erasure."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.db import connection

from gorod.accounts.models import User
from gorod.reports.models import Report
from gorod.reports.services import report_create, report_transition
from tests.accounts.conftest import PASSWORD
from tests.helpers import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna_reports(city, new_report, citizen):
    """One report filed signed in, one filed before sign-up with her address, one by someone else."""
    own = report_create(
        municipality=city, data=new_report(description="Моя яма", contact_email=""), author=citizen
    )
    before = report_create(
        municipality=city,
        data=new_report(
            description="Старая яма", contact_email=" anna.CITIZEN@example.org", contact_name="Анна П."
        ),
    )
    other = report_create(municipality=city, data=new_report(description="Чужая яма"))
    return own, before, other


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/account/")["Location"] == "/account/login/?next=%2Faccount%2F"


def test_my_reports_include_those_filed_before_signing_up_once_the_address_is_proven(
    client, citizen, anna_reports
):
    own, before, other = anna_reports
    client.force_login(citizen)
    html = client.get("/account/").content.decode()
    assert f"№&nbsp;{own.pk}" in html and f"№&nbsp;{before.pk}" not in html
    assert "not confirmed yet" in html

    citizen.email_verified = True
    citizen.save()
    html = client.get("/account/").content.decode()
    assert f"№&nbsp;{own.pk}" in html and f"№&nbsp;{before.pk}" in html and f"№&nbsp;{other.pk}" not in html
    assert "not confirmed yet" not in html


def test_a_resolved_report_shows_that_a_confirmation_is_awaited(client, citizen, anna_reports, frozen_spring):
    own = anna_reports[0]
    for action, note in (("accept", ""), ("start", ""), ("resolve", "Заделали")):
        own = report_transition(report=own, action=action, public_note=note)
    assert own.confirm_due is not None
    client.force_login(citizen)
    html = client.get("/account/").content.decode()
    assert "Please confirm or dispute by" in html and f'href="/reports/{own.pk}/"' in html


def test_follows_and_alerts_are_listed_with_a_link_to_manage_them(client, city, citizen, anna_reports):
    from gorod.notifications.services import alert_create, follow_user

    follow_user(report=anna_reports[2], user=citizen)
    alert_create(
        user=citizen, municipality=city, frequency="daily", district=city.districts.get(slug="north")
    )
    client.force_login(citizen)
    html = client.get("/account/").content.decode()
    assert f"№&nbsp;{anna_reports[2].pk}" in html
    assert city.districts.get(slug="north").label in html
    assert 'href="/notifications/"' in html


def test_the_account_page_needs_few_queries(client, citizen, anna_reports, django_assert_max_num_queries):
    client.force_login(citizen)
    with django_assert_max_num_queries(12):
        assert client.get("/account/").status_code == 200


def test_a_staff_page_without_the_second_factor_redirects_to_it(client, staff_member):
    client.force_login(staff_member)
    for url in ("/account/", "/account/password/", "/account/privacy/export/", "/backoffice/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/account/otp/?next="), url


def test_a_verified_staff_member_sees_the_two_factor_settings(client, staff_member):
    login_verified(client, staff_member)
    html = client.get("/account/").content.decode()
    assert "Two-factor sign-in" in html and "Backup codes left" in html and 'href="/backoffice/"' in html
    assert "/account/privacy/delete/" not in html


def test_a_citizen_gets_403_at_the_back_office(client, citizen):
    client.force_login(citizen)
    assert client.get("/backoffice/").status_code == 403


def test_my_data_downloads_as_json_in_a_zip(client, citizen, anna_reports):
    citizen.email_verified = True
    citizen.save()
    client.force_login(citizen)
    response = client.get("/account/privacy/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("my-data.json"))
    assert (
        data["account"]["email"] == "Anna.Citizen@example.org" and data["account"]["display_name"] == "Анна"
    )
    assert {r["id"] for r in data["reports"]} == {anna_reports[0].pk, anna_reports[1].pk}
    before = next(r for r in data["reports"] if r["id"] == anna_reports[1].pk)
    assert before["contact_name"] == "Анна П."


def test_erasure_keeps_the_reports_without_contacts_or_author(client, citizen, anna_reports, caplog):
    own, before, other = anna_reports
    citizen.email_verified = True
    citizen.save()
    client.force_login(citizen)
    assert client.get("/account/privacy/delete/").status_code == 200
    response = client.post("/account/privacy/delete/", {"password": PASSWORD, "confirm": "1"})
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert not User.objects.filter(pk=citizen.pk).exists()
    for report in (own, before):
        report.refresh_from_db()
        assert report.author_id is None and report.contact_email == report.contact_name == ""
        assert report.email_hash == "" and not report.show_name
    other.refresh_from_db()
    assert other.contact_email == "ivan@example.org"  # someone else's report is untouched
    assert Report.objects.count() == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user")
        assert cursor.fetchone()[0] == 0
    assert "example.org" not in caplog.text


@pytest.mark.parametrize(
    ("post", "field"),
    [({"password": "wrong", "confirm": "1"}, "password"), ({"password": PASSWORD}, "confirm")],
)
def test_erasure_needs_the_password_and_the_tick(client, citizen, post, field):
    client.force_login(citizen)
    response = client.post("/account/privacy/delete/", post)
    assert response.status_code == 400 and f'id="id_{field}"' in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()


def test_staff_cannot_erase_their_own_account(client, staff_member):
    login_verified(client, staff_member)
    response = client.post("/account/privacy/delete/", {"password": PASSWORD, "confirm": "1"})
    assert "closed by a city administrator" in response.content.decode()
    assert User.objects.filter(pk=staff_member.pk).exists()
