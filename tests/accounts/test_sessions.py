"""Staff sessions end after hours of idleness; residents stay signed in for weeks."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.accounts.sessions import TOUCHED
from gorod.core import clock
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db
HOUR = 3600


def _sign_in(client, username):
    response = client.post("/account/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_a_resident_stays_signed_in_for_two_weeks(client, citizen, settings):
    response = _sign_in(client, "anna")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 14 * 24 * HOUR
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 14 * 24 * HOUR


def test_a_staff_session_ends_after_eight_idle_hours(client, staff_member, settings):
    response = _sign_in(client, "pyotr")
    assert settings.GOROD_STAFF_SESSION_IDLE_S == 8 * HOUR
    assert client.session.get_expiry_age() == 8 * HOUR
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * HOUR


def test_a_working_staff_member_is_not_signed_out(client, staff_member, settings):
    start = clock.now()
    with clock.frozen(start):
        _sign_in(client, "pyotr")
    key = client.session.session_key
    # Each request within the idle time pushes the end further; a quiet minute is not written.
    with clock.frozen(start + dt.timedelta(seconds=30)):
        quiet = client.get("/backoffice/")
    assert settings.SESSION_COOKIE_NAME not in quiet.cookies
    with clock.frozen(start + dt.timedelta(hours=7)):
        busy = client.get("/backoffice/")
    assert busy.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * HOUR
    assert client.session[TOUCHED] == int((start + dt.timedelta(hours=7)).timestamp())
    assert client.session.session_key == key
