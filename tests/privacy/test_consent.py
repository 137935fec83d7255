"""Consent (152-FZ / GDPR), recorded apart from everything else: the text and version a resident accepted,
when, and for which purpose (publishing the name; mails); shown and withdrawable on the account page.
Withdrawing "publish my name" hides the name on every report of theirs; withdrawing mails stops the news
mails (queued ones included) but not the sign-in links they ask for."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core import mail

from gorod.accounts.models import Consent, User
from gorod.notifications.models import Delivery
from gorod.notifications.tasks import deliver_due
from gorod.reports.models import Report
from gorod.reports.services import report_create, report_transition
from tests.helpers import fan_out

pytestmark = pytest.mark.django_db


def _sign_up(client, **extra):
    form = {
        "display_name": "Вера",
        "email": "vera@example.org",
        "password": "correct-horse-battery",
        "password2": "correct-horse-battery",
        **extra,
    }
    assert client.post("/account/signup/", form).status_code == 200
    return User.objects.get_by_email("vera@example.org")


def test_sign_up_records_the_consents_ticked_with_their_text_and_version(client, frozen_spring):
    user = _sign_up(client, consent_mails="on")
    (consent,) = Consent.objects.filter(user=user)
    assert consent.purpose == "mails" and consent.given and consent.at == frozen_spring
    assert consent.version and "e-mail" in consent.text.lower()
    assert not Consent.objects.filter(user=user, purpose="publish_name").exists()  # not ticked: not asked


def test_the_account_page_shows_them_and_a_withdrawal_is_recorded_apart(client, citizen, frozen_spring):
    from gorod.accounts.services import consent_record

    consent_record(user=citizen, purpose="mails", given=True)
    client.force_login(citizen)
    html = client.get("/account/").content.decode()
    assert "Consents" in html and Consent.objects.get().text in html and "13 May 2026" in html
    response = client.post("/account/privacy/consent/", {"purpose": "mails", "given": "0"})
    assert response.status_code == 302
    given, withdrawn = Consent.objects.filter(user=citizen).order_by("at", "pk")
    assert given.given and not withdrawn.given and withdrawn.purpose == "mails"
    assert "Withdrawn" in client.get("/account/").content.decode()


@pytest.mark.parametrize(
    "post", [{"purpose": "spam", "given": "1"}, {"purpose": "mails", "given": "maybe"}, {}]
)
def test_a_bad_consent_form_changes_nothing(client, citizen, post):
    client.force_login(citizen)
    assert client.post("/account/privacy/consent/", post).status_code == 400
    assert not Consent.objects.exists()


def test_withdrawing_mails_stops_news_mails_queued_and_to_come_but_not_sign_in_links(
    client, city, new_report, citizen
):
    from gorod.accounts.services import sign_in_link_send

    report = report_create(municipality=city, data=new_report(contact_email=""), author=citizen)
    fan_out()  # the receipt is queued
    assert Delivery.objects.filter(report=report, kind="author").exists()
    client.force_login(citizen)
    client.post("/account/privacy/consent/", {"purpose": "mails", "given": "0"})
    assert not Delivery.objects.filter(report=report, kind="author").exists()
    report_transition(report=report, action="accept")
    fan_out()
    assert not Delivery.objects.filter(report=report, kind="author").exists()
    sign_in_link_send(email=citizen.email_address)
    deliver_due()
    assert [m.subject for m in mail.outbox if m.to == [citizen.email_address]]  # the link only
    assert all(f"№{report.pk}" not in m.subject for m in mail.outbox)


def test_giving_mails_again_lets_them_through(client, city, new_report, citizen):
    client.force_login(citizen)
    client.post("/account/privacy/consent/", {"purpose": "mails", "given": "0"})
    client.post("/account/privacy/consent/", {"purpose": "mails", "given": "1"})
    report = report_create(municipality=city, data=new_report(contact_email=""), author=citizen)
    fan_out()
    assert Delivery.objects.filter(report=report, kind="author").exists()


def test_withdrawing_publish_my_name_hides_it_on_every_report(client, city, new_report, citizen):
    reports = [
        report_create(municipality=city, data=new_report(show_name=True, contact_name="Анна"), author=citizen)
        for _ in range(2)
    ]
    assert "Reported by Анна" in client.get(f"/reports/{reports[0].pk}/").content.decode()
    consent = Consent.objects.get(user=citizen, purpose="publish_name")  # ticking the box gave it
    assert consent.given
    client.force_login(citizen)
    client.post("/account/privacy/consent/", {"purpose": "publish_name", "given": "0"})
    assert not Report.objects.filter(show_name=True).exists()
    client.logout()
    assert "Анна" not in client.get(f"/reports/{reports[1].pk}/").content.decode()


def test_the_export_holds_the_consents(client, citizen):
    from gorod.accounts.services import consent_record

    consent_record(user=citizen, purpose="mails", given=True)
    consent_record(user=citizen, purpose="mails", given=False)
    client.force_login(citizen)
    response = client.get("/account/privacy/export/")
    data = json.loads(zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("my-data.json"))
    assert [(c["purpose"], c["given"]) for c in data["consents"]] == [("mails", True), ("mails", False)]
    assert all(c["text"] and c["version"] and c["at"] for c in data["consents"])
