"""The account pages and e-mails speak Russian to Russian speakers (the app's own catalogue)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.accounts.conftest import delivered_mails

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_russian(client):
    html = client.get("/account/login/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Имя пользователя или e-mail" in html and "Прислать ссылку для входа на почту" in html


def test_a_refusal_is_in_russian(client, citizen):
    response = client.post(
        "/account/login/", {"username": "anna", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert "не подходят друг к другу" in response.content.decode()


def test_the_sign_in_mail_is_in_the_language_of_the_request(client, citizen):
    citizen.email_verified = True  # greeted by name only at a proven address (test_signup)
    citizen.save(update_fields=["email_verified"])
    client.post("/account/login/link/", {"email": "anna.citizen@example.org"}, HTTP_ACCEPT_LANGUAGE="ru")
    (message,) = delivered_mails()
    assert message.subject == "Ваша ссылка для входа в «Город»"
    assert "Здравствуйте, Анна!" in message.body and "15 минут" in message.body


def test_role_names_are_translated():
    from gorod.accounts.models import User

    with translation.override("ru"):
        assert str(User.Role.AUDITOR.label) == "аудитор"
