"""Sign-in by an e-mailed one-time link: sent through the outbox, single use, short-lived, stored hashed."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail

from gorod.accounts.models import SignInLink
from gorod.core import clock
from tests.accounts.conftest import delivered_mails, link_path

pytestmark = pytest.mark.django_db


def _ask(client, email="anna.citizen@example.org"):
    return client.post("/account/login/link/", {"email": email})


def test_a_link_is_mailed_through_the_outbox_and_signs_in_once(client, citizen):
    response = _ask(client, " ANNA.citizen@example.org")
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert mail.outbox == []  # nothing leaves before the worker runs
    (message,) = delivered_mails()
    assert message.to == ["Anna.Citizen@example.org"]
    path = link_path(message)

    page = client.get(path)  # a mail scanner opening the link must not spend it
    assert page.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(citizen.pk)
    citizen.refresh_from_db()
    assert citizen.email_verified


def test_only_the_hash_of_the_token_is_stored(client, citizen):
    _ask(client)
    (message,) = delivered_mails()
    token = link_path(message).rstrip("/").rsplit("/", 1)[1]
    link = SignInLink.objects.get()
    assert link.token_hash == SignInLink.hash_token(token) and token not in link.token_hash


def test_a_used_link_is_refused_with_a_clear_message(client, citizen, caplog):
    _ask(client)
    path = link_path(delivered_mails()[0])
    client.post(path)
    client.post("/account/logout/")
    with caplog.at_level(logging.WARNING, logger="gorod.accounts"):
        again = client.post(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(path).status_code == 410
    assert "already used" in caplog.text and "example.org" not in caplog.text and "anna" not in caplog.text


def test_an_expired_link_is_refused(client, citizen, caplog):
    _ask(client)
    path = link_path(delivered_mails()[0])
    later = clock.now() + dt.timedelta(minutes=16)
    with clock.frozen(later), caplog.at_level(logging.WARNING, logger="gorod.accounts"):
        response = client.post(path)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "expired" in caplog.text
    assert SignInLink.objects.get().used is None


def test_a_link_still_works_just_before_it_expires(client, citizen):
    _ask(client)
    path = link_path(delivered_mails()[0])
    with clock.frozen(clock.now() + dt.timedelta(minutes=14)):
        assert client.post(path).status_code == 302


@pytest.mark.parametrize("token", ["nonsense", "x" * 150, "a" * 43])
def test_an_unknown_link_is_refused(client, citizen, token):
    response = client.post(f"/account/login/link/{token}/")
    assert response.status_code == 404 and "not valid" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, citizen):
    known = _ask(client).content.decode()
    unknown = _ask(client, "nobody@example.org").content.decode()
    assert "Check your e-mail" in known and "Check your e-mail" in unknown
    assert len(delivered_mails()) == 1


def test_a_closed_account_gets_no_link_and_cannot_use_one(client, citizen):
    _ask(client)
    path = link_path(delivered_mails()[0])
    citizen.is_active = False
    citizen.save()
    assert client.post(path).status_code == 410
    assert "_auth_user_id" not in client.session
    _ask(client)
    assert len(delivered_mails()) == 1


def test_links_cannot_flood_a_mailbox(client, citizen, caplog):
    with caplog.at_level(logging.INFO, logger="gorod.accounts"):
        for _n in range(5):
            assert _ask(client).status_code == 200
    assert len(delivered_mails()) == 3
    assert "too many requests" in caplog.text


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x" * 250 + "@example.org"])
def test_a_bad_address_is_refused_clearly(client, citizen, email):
    response = _ask(client, email)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert SignInLink.objects.count() == 0


def test_a_staff_member_signing_in_by_link_still_needs_the_code(client, staff_member):
    _ask(client, "pyotr@example.org")
    response = client.post(link_path(delivered_mails()[0]))
    assert response["Location"].startswith("/account/otp/")
    assert client.get("/backoffice/")["Location"].startswith("/account/otp/")


def test_old_links_are_cleared_when_a_new_one_is_made(client, citizen):
    _ask(client)
    with clock.frozen(clock.now() + dt.timedelta(hours=1)):
        _ask(client)
    assert SignInLink.objects.count() == 1
