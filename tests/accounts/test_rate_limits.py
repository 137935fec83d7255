"""Sign-up and sign-in link requests are limited per client, and carry a honeypot: a bot that fills it
gets the usual "check your e-mail" page and nothing is sent or saved."""

from __future__ import annotations

import pytest
from django.core import mail

from gorod.accounts.models import User
from tests.accounts.conftest import delivered_mails
from tests.accounts.test_signup import GOOD
from tests.helpers import post_past_the_limit

pytestmark = pytest.mark.django_db


def test_sign_up_is_limited_per_client(client, write_limits):
    post_past_the_limit(client, "/account/signup/", "signup", {"display_name": "x"})


def test_sign_in_link_requests_are_limited_per_client(client, write_limits):
    post_past_the_limit(client, "/account/login/link/", "sign_in_link", {"email": "x@example.org"})


@pytest.mark.parametrize("url", ["/account/signup/", "/account/login/link/"])
def test_the_public_forms_carry_a_hidden_honeypot(client, url):
    html = client.get(url).content.decode()
    assert 'class="hp-field"' in html and 'name="website"' in html


def test_a_filled_honeypot_on_sign_up_looks_like_success_and_saves_nothing(client):
    response = client.post("/account/signup/", {**GOOD, "website": "spam"})
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert User.objects.count() == 0
    assert delivered_mails() == []


def test_a_filled_honeypot_on_the_link_request_sends_nothing(client, citizen):
    response = client.post("/account/login/link/", {"email": "anna.citizen@example.org", "website": "x"})
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert delivered_mails() == [] and mail.outbox == []
