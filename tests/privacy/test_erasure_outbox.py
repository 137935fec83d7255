"""Erasure reaches the outbox: mails queued before it are never sent, and no delivery row keeps the
address, the name in a payload or the address's look-up hash — whatever state the row was in."""

from __future__ import annotations

import pytest
from django.core import mail

from gorod.accounts.models import User
from gorod.core import crypto
from gorod.notifications import delivery as delivery_loop
from gorod.notifications.models import Delivery
from gorod.notifications.services import follow_user
from gorod.privacy.services import account_erase
from gorod.reports.services import report_create, report_transition
from tests.accounts.conftest import PASSWORD
from tests.helpers import fan_out

pytestmark = pytest.mark.django_db

ADDRESS = "Anna.Citizen@Example.org"
OTHER = "anna.second@example.org"


@pytest.fixture
def anna_in_the_outbox(city, new_report, citizen, file_report):
    """Anna's sign-in link, her receipt and «accepted» mail for a report filed signed in, the author mails
    of a report she filed earlier with another address, and a follow's mail: all queued, none sent."""
    from gorod.accounts.services import sign_in_link_send

    citizen.email_verified = True
    citizen.save()
    sign_in_link_send(email=ADDRESS)
    own = report_create(municipality=city, data=new_report(contact_email=""), author=citizen)
    earlier = report_create(
        municipality=city, data=new_report(contact_email=ADDRESS.lower(), contact_name="Анна П.")
    )
    other = file_report(description="Чужая яма")
    follow_user(report=other, user=citizen)
    for report in (own, earlier, other):
        report_transition(report=report, action="accept")
    fan_out()
    return own, earlier, other


def _rows_about(address: str) -> list[Delivery]:
    digest = crypto.lookup_hash(address)
    return [
        d
        for d in Delivery.objects.all()
        if d.recipient_hash == digest or address.lower() in (d.recipient or "").lower() or "Анна" in d.payload
    ]


def test_erasure_cancels_every_queued_mail_and_leaves_no_row_about_the_person(anna_in_the_outbox, citizen):
    assert len(_rows_about(ADDRESS)) >= 5
    account_erase(user=citizen, password=PASSWORD)
    assert _rows_about(ADDRESS) == []
    delivery_loop.deliver_due()
    assert [m for m in mail.outbox if ADDRESS.lower() in [a.lower() for a in m.to]] == []


def test_sent_and_dead_mails_to_the_person_go_too(anna_in_the_outbox, citizen):
    delivery_loop.deliver_due()
    assert mail.outbox
    first = Delivery.objects.filter(recipient_hash=crypto.lookup_hash(ADDRESS)).first()
    Delivery.objects.filter(pk=first.pk).update(state=Delivery.State.DEAD)
    account_erase(user=citizen, password=PASSWORD)
    assert _rows_about(ADDRESS) == []


def test_the_author_mails_of_their_reports_go_even_to_another_address(city, new_report, citizen):
    report = report_create(
        municipality=city, data=new_report(contact_email=OTHER, contact_name="Анна"), author=citizen
    )
    fan_out()
    assert Delivery.objects.filter(report=report, kind="author").exists()
    account_erase(user=citizen, password=PASSWORD)
    assert not Delivery.objects.filter(report=report, kind="author").exists()
    assert _rows_about(OTHER) == []


def test_other_peoples_mails_stay(anna_in_the_outbox, citizen):
    ivan = Delivery.objects.filter(recipient_hash=crypto.lookup_hash("ivan@example.org"))
    before = ivan.count()
    assert before
    account_erase(user=citizen, password=PASSWORD)
    assert ivan.count() == before


def test_a_worker_that_claimed_a_mail_before_the_erasure_does_not_send_it(
    anna_in_the_outbox, citizen, monkeypatch
):
    real_claim = delivery_loop.claim
    erased = []

    def claim_then_erase(token, now, size):
        batch = real_claim(token, now, size)
        if batch and not erased:
            # Between the worker's claim and its send, the person erases the account.
            account_erase(user=User.objects.get(pk=citizen.pk), password=PASSWORD)
            erased.append(True)
        return batch

    monkeypatch.setattr(delivery_loop, "claim", claim_then_erase)
    delivery_loop.deliver_due()
    assert erased
    assert [m for m in mail.outbox if ADDRESS.lower() in [a.lower() for a in m.to]] == []


def test_erasure_forgets_the_persons_mail_addresses_but_keeps_a_stop(city, new_report, citizen):
    """What the outbox knew of the person's addresses goes with the account; a "stop all mail" stays,
    so that an erased person is never mailed again (the row holds only a keyed hash)."""
    from gorod.notifications.models import MailAddress

    citizen.email_verified = True
    citizen.save()
    report_create(municipality=city, data=new_report(contact_email=OTHER), author=citizen)
    MailAddress.objects.create(address_hash=crypto.lookup_hash(ADDRESS), state="confirmed")
    stopped = MailAddress.objects.create(address_hash=crypto.lookup_hash(OTHER), state="stopped")
    someone = MailAddress.objects.create(address_hash=crypto.lookup_hash("ivan@example.org"))
    account_erase(user=citizen, password=PASSWORD)
    assert set(MailAddress.objects.all()) == {stopped, someone}
