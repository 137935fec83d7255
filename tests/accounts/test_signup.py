"""Citizens sign up with an e-mail and a password; the e-mailed link confirms the address and signs in.
Sign-up never tells whether an address already has an account."""

from __future__ import annotations

import pytest
from django.db import connection

from gorod.accounts.models import User
from tests.accounts.conftest import delivered_mails, link_path

pytestmark = pytest.mark.django_db

GOOD = {
    "display_name": "Мария",
    "email": "Maria@Example.org",
    "password": "a-long-enough-secret",
    "password2": "a-long-enough-secret",
}


def test_a_citizen_signs_up_and_confirms_by_the_mailed_link(client):
    response = client.post("/account/signup/", GOOD)
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    user = User.objects.get()
    assert user.role == User.Role.CITIZEN and user.display_name == "Мария" and not user.email_verified
    assert user.check_password("a-long-enough-secret")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email_encrypted, display_name FROM accounts_user")
        stored = " ".join(cursor.fetchone())
    assert "maria" not in stored.lower() and "Мария" not in stored

    (message,) = delivered_mails()
    assert message.to == ["Maria@example.org"]  # the domain is lower-cased, the local part kept
    response = client.post(link_path(message))
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.email_verified
    assert client.get("/account/").status_code == 200


def test_an_address_with_an_account_gets_a_sign_in_link_and_the_same_page(client, citizen):
    response = client.post("/account/signup/", {**GOOD, "email": "anna.citizen@example.org"})
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert User.objects.count() == 1
    (message,) = delivered_mails()
    assert (
        message.to == ["Anna.Citizen@example.org"]
        and "already" in message.subject.lower() + message.body.lower()
    )
    citizen.refresh_from_db()
    assert citizen.display_name == "Анна"  # nothing about the account changed


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"email": ""}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 101}, "display_name"),
        ({"password": "short", "password2": "short"}, "password"),
        ({"password": "1234567890123", "password2": "1234567890123"}, "password"),
        ({"password": "password1234", "password2": "password1234"}, "password"),
        ({"password2": "something-else-entirely"}, "password2"),
        ({"display_name": "a\x00b"}, "display_name"),
    ],
)
def test_bad_sign_ups_are_refused_and_nothing_is_saved(client, change, field):
    response = client.post("/account/signup/", {**GOOD, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and f'id="id_{field}"' in html
    assert "a-long-enough-secret" not in html  # passwords are never echoed
    assert User.objects.count() == 0
    assert delivered_mails() == []


def test_a_signed_in_user_is_sent_to_the_account_page(client, citizen):
    client.force_login(citizen)
    assert client.get("/account/signup/")["Location"] == "/account/"


def test_a_sign_up_with_someone_elses_address_mails_them_nothing_the_stranger_wrote(client):
    """Issue 9 item 4: the display name is the signer-up's text; until the address is proven (the link
    used) the welcome and sign-in mails greet no one by it."""
    spam = "Купите слонов http://spam.example"
    client.post("/account/signup/", {**GOOD, "display_name": spam})
    client.post("/account/login/link/", {"email": GOOD["email"]})
    messages = delivered_mails()
    assert len(messages) == 2 and all(m.to == ["Maria@example.org"] for m in messages)
    for message in messages:
        assert "слонов" not in message.subject + message.body and "spam" not in message.body
        assert message.body.startswith("Hello,\n")
        assert "/notifications/address/stop/" in message.body  # every mail: "stop all e-mails"
    client.post(link_path(messages[0]))  # proven: from now on the mails may use the name
    client.post("/account/login/link/", {"email": GOOD["email"]})
    assert delivered_mails()[-1].body.startswith(f"Hello {spam},")
