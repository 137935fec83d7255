"""A resident's data in a real browser: signing up with a consent, downloading the data, and erasing the
account while mails to them wait in the outbox — after which none is sent and no delivery row holds the
address (the worker runs here as it would in production: the test calls it)."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from django.core import mail

from gorod.accounts.models import Consent, User
from gorod.core import crypto
from gorod.core.models import AuditEntry
from gorod.notifications.models import Delivery
from gorod.notifications.tasks import deliver_due
from gorod.reports.services import report_create, report_transition
from tests.e2e.conftest import screenshot
from tests.helpers import fan_out

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "vera@example.org"
PASSWORD = "a-long-enough-secret"


def _rows_holding(address: str) -> list[Delivery]:
    digest = crypto.lookup_hash(address)
    return [d for d in Delivery.objects.all() if d.recipient_hash == digest or d.recipient.lower() == address]


def test_a_resident_erases_the_account_with_mails_queued_and_none_is_sent(page, city, new_report):
    # Sign up, agreeing to mails; the welcome link signs in.
    page.goto("/account/signup/")
    page.fill("#id_display_name", "Вера")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_consent_mails")
    page.locator("main form button[type=submit]").first.click()
    page.locator(".notice-success").wait_for()
    deliver_due()
    (welcome,) = mail.outbox
    page.goto(re.search(r"/account/login/link/[A-Za-z0-9_\-]+/", welcome.body).group(0))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account/$"))
    user = User.objects.get_by_email(EMAIL)
    assert Consent.objects.get(user=user).given

    # She has reports; the department's news about them waits in the outbox, as does a sign-in link.
    report = report_create(
        municipality=city, data=new_report(contact_email=EMAIL, contact_name="Вера"), author=user
    )
    report_transition(report=report, action="accept")
    fan_out()
    from gorod.accounts.services import sign_in_link_send

    sign_in_link_send(email=EMAIL)
    queued = [d for d in _rows_holding(EMAIL) if d.state == Delivery.State.PENDING]
    assert {d.kind for d in queued} == {"author", "signin"} and len(
        queued
    ) == 3  # receipt, «accepted», a link

    # The account page shows the consent; the export downloads as a zip.
    page.goto("/account/")
    page.locator("#consents-title").wait_for()
    assert Consent.objects.get(user=user).text in page.locator("main").inner_text()
    screenshot(page, "privacy-account")
    with page.expect_download() as download:
        page.locator("a[href='/account/privacy/export/']").first.click()
    archive = zipfile.ZipFile(download.value.path())
    data = json.loads(archive.read("my-data.json"))
    assert data["account"]["email"] == EMAIL and len(data["mails"]) >= 3
    assert data["consultations"]["map_feedback"] == []  # the key is there; she took part in no project

    # She erases the account.
    page.goto("/account/privacy/delete/")
    page.fill("#id_password", PASSWORD)
    page.check("#id_confirm")
    screenshot(page, "privacy-erase")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "privacy-erase-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))
    assert not User.objects.filter(pk=user.pk).exists()

    # No delivery row holds the address, nothing about her is sent, the erasure is in the audit trail.
    mail.outbox.clear()
    assert _rows_holding(EMAIL) == []
    assert not any("Вера" in d.payload for d in Delivery.objects.all())
    deliver_due()
    assert [m for m in mail.outbox if EMAIL in [a.lower() for a in m.to]] == []
    assert AuditEntry.objects.filter(action="account.erase", object_id=str(user.pk)).exists()
