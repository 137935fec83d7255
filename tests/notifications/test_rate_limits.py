"""Follows, e-mail follows and their confirmations, and area alerts are limited per client; following by
e-mail carries a honeypot."""

from __future__ import annotations

import pytest

from gorod.notifications.models import Follow
from tests.helpers import post_past_the_limit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "scope"),
    [
        ("/notifications/follow/1/", "follow"),
        ("/notifications/follow/1/email/", "follow"),
        ("/notifications/follow/confirm/forged/", "follow"),
        ("/notifications/alerts/new/", "alert"),
    ],
)
def test_follow_and_alert_writes_are_limited_per_client(client, write_limits, make_user, url, scope):
    client.force_login(make_user())
    post_past_the_limit(client, url, scope)


def test_a_filled_honeypot_on_follow_by_email_looks_like_success_and_saves_nothing(
    client, file_report, deliver, mailoutbox, frozen_spring
):
    report = file_report()
    response = client.post(
        f"/notifications/follow/{report.pk}/email/",
        {"email": "x@example.org", "website": "spam"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "Check your mailbox" in response.content.decode()
    assert not Follow.objects.exists()
    deliver()
    assert not [m for m in mailoutbox if "x@example.org" in m.to]


def test_the_report_page_has_the_honeypot_in_the_follow_form(client, file_report, frozen_spring):
    html = client.get(f"/reports/{file_report().pk}/").content.decode()
    assert 'class="hp-field"' in html and 'name="website"' in html
