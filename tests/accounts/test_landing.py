"""Where a person lands after signing in when no page asked for them: residents on their account page,
staff on their work in the back office (issue 9, item 11). A page that did ask still wins."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import PASSWORD, delivered_mails, link_path
from tests.accounts.test_otp import code_for

pytestmark = pytest.mark.django_db


def _sign_in_as_the_form_does(client, username: str, login_url: str = "/account/login/"):
    page = client.get(login_url).content.decode()
    form = page.split('action="/account/login/"', 1)[1]
    next_value = re.search(r'name="next" value="([^"]*)"', form).group(1)
    return client.post(login_url, {"username": username, "password": PASSWORD, "next": next_value})


def test_staff_land_on_their_work_after_the_second_factor(client, staff_member):
    device = TOTPDevice.objects.create(user=staff_member, name="app", confirmed=True)
    response = _sign_in_as_the_form_does(client, "pyotr")
    assert response.status_code == 302 and response["Location"] == "/account/otp/?next=%2Fbackoffice%2F"
    response = client.post("/account/otp/", {"code": code_for(device), "next": "/backoffice/"})
    assert response["Location"] == "/backoffice/"
    assert client.get("/backoffice/")["Location"] == "/backoffice/queue/"  # an executor's queue


def test_staff_signing_in_by_link_land_on_their_work(client, staff_member):
    client.post("/account/login/link/", {"email": "pyotr@example.org"})
    response = client.post(link_path(delivered_mails()[0]))
    assert response["Location"] == "/account/otp/?next=%2Fbackoffice%2F"


def test_a_page_that_asked_for_sign_in_still_wins_for_staff(client, staff_member):
    response = _sign_in_as_the_form_does(client, "pyotr", "/account/login/?next=/account/")
    assert response["Location"] == "/account/otp/?next=%2Faccount%2F"


def test_residents_still_land_on_their_account(client, citizen):
    response = _sign_in_as_the_form_does(client, "anna")
    assert response.status_code == 302 and response["Location"] == "/account/"
