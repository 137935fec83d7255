"""Changing the password: the session is kept, bad changes are refused."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_password_is_changed_and_the_session_kept(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password": "another-long-secret",
            "new_password2": "another-long-secret",
        },
    )
    assert response["Location"] == "/account/"
    citizen.refresh_from_db()
    assert citizen.check_password("another-long-secret")
    assert client.get("/account/").status_code == 200


@pytest.mark.parametrize(
    ("post", "field"),
    [
        (
            {
                "old_password": "wrong",
                "new_password": "another-long-secret",
                "new_password2": "another-long-secret",
            },
            "old_password",
        ),
        ({"old_password": PASSWORD, "new_password": "short", "new_password2": "short"}, "new_password"),
        (
            {
                "old_password": PASSWORD,
                "new_password": "another-long-secret",
                "new_password2": "different-long-secret",
            },
            "new_password2",
        ),
        ({}, "old_password"),
    ],
)
def test_bad_password_changes_are_refused(client, citizen, post, field):
    client.force_login(citizen)
    response = client.post("/account/password/", post)
    assert response.status_code == 400 and f'id="id_{field}"' in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)
