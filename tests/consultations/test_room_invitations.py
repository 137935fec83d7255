"""Invite-only rooms: only invited people (and staff) read and comment; invitations go out through the
outbox with a token link of which only the hash is kept; the token is never logged; a forwarded link lets
no one else in; erasure and export cover invitations and comments."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.urls import reverse

from gorod.accounts.models import User
from gorod.consultations.errors import Refused
from gorod.consultations.room.models import Pin, RoomInvitation
from gorod.consultations.room.services import invitation_accept, invite, pin_add, room_set
from gorod.notifications.models import Delivery

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages in English whatever language an earlier test left active."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _link_in_mail_to(address: str) -> str:
    mails = [json.loads(d.payload) for d in Delivery.objects.order_by("id") if d.recipient == address]
    assert len(mails) == 1
    found = re.search(r"https?://\S+/invitation/(\S+)/", mails[0]["body"])
    assert found, mails[0]["body"]
    return found.group(0)


@pytest.fixture
def private(slides, admin_user):
    module = slides["plan"].module
    room_set(module=module, actor=admin_user, opens=None, closes=None, invite_only=True)
    return module


@pytest.fixture
def invited(db):
    return User.objects.create_user(
        username="vera", password="x-pass-12345", role=User.Role.CITIZEN, email="vera@example.org"
    )


def test_an_invitation_is_mailed_with_a_link_and_only_its_hash_is_kept(private, admin_user, caplog):
    caplog.set_level(logging.DEBUG)
    assert invite(
        module=private, actor=admin_user, emails="vera@example.org\nVera@Example.org; ivan@example.org"
    ) == (2, 0)
    assert invite(module=private, actor=admin_user, emails="vera@example.org") == (0, 1)
    link = _link_in_mail_to("vera@example.org")
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = RoomInvitation.objects.get(token_hash=RoomInvitation.hash_token(token))
    assert invitation.email == "vera@example.org"
    assert token not in str(list(RoomInvitation.objects.values_list()))
    assert token not in caplog.text


@pytest.mark.parametrize(
    "emails", ["", "not-an-address", "a@example.org, <script>@x", "x" * 300 + "@example.org"]
)
def test_bad_addresses_are_refused_and_nobody_is_invited(private, admin_user, emails):
    with pytest.raises(Refused) as exc:
        invite(module=private, actor=admin_user, emails=emails)
    assert exc.value.field == "emails"
    assert not RoomInvitation.objects.exists() and not Delivery.objects.exists()


def test_only_city_administrators_invite(private, citizen):
    with pytest.raises(Refused):
        invite(module=private, actor=citizen, emails="a@example.org")


def test_only_invited_people_read_and_comment(client, private, slides, invited, citizen, admin_user, caplog):
    caplog.set_level(logging.DEBUG)
    page_url = reverse("consultations:room", args=["square", private.pk])
    pin = pin_add(slide=slides["plan"], user=admin_user, text="Staff note here", x=0.5, y=0.5)
    assert pin.pk
    # Signed out and signed in without an invitation: the room says why, and shows nothing of it.
    for who in (None, citizen):
        if who:
            client.force_login(who)
        answer = client.get(page_url)
        assert answer.status_code == 403
        assert "invited people only" in answer.content.decode()
        assert "Staff note here" not in answer.content.decode()
    with pytest.raises(Refused, match="invited people only"):
        pin_add(slide=slides["plan"], user=citizen, text="Let me in", x=0.5, y=0.5)
    invite(module=private, actor=admin_user, emails="vera@example.org")
    link = _link_in_mail_to("vera@example.org")
    path = link[link.index("/projects/") :]
    # A forwarded link does not let another account in.
    client.force_login(citizen)
    assert client.get(path).status_code == 200  # GET only asks; mail scanners open links
    answer = client.post(path)
    assert answer.status_code == 200 and "another address" in answer.content.decode()
    assert not RoomInvitation.objects.filter(accepted_by__isnull=False).exists()
    client.force_login(invited)
    assert client.post(path).status_code == 302
    assert "Staff note here" in client.get(page_url).content.decode()
    client.post(
        reverse("consultations:room-pin", args=["square", private.pk, slides["plan"].pk]),
        {"text": "Invited and here", "region": "centre"},
    )
    assert Pin.objects.filter(author=invited).exists()
    # Once used, the link is the member's: nobody else may take it over.
    other = User.objects.create_user(username="o", password="x-pass-12345", email="vera2@example.org")
    with pytest.raises(Refused):
        invitation_accept(module=private, token=path.rstrip("/").rsplit("/", 1)[1], user=other)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in caplog.text


def test_an_unknown_token_is_404_and_saves_nothing(client, private, invited):
    client.force_login(invited)
    bad = reverse("consultations:room-invitation", args=["square", private.pk, "x" * 43])
    assert client.get(bad).status_code == 404
    assert client.post(bad).status_code == 404
    assert not RoomInvitation.objects.exists()


def test_staff_always_read_an_invite_only_room(client, private, admin_user):
    from tests.helpers import login_verified

    login_verified(client, admin_user)
    assert client.get(reverse("consultations:room", args=["square", private.pk])).status_code == 200


def test_staff_invite_over_http_and_see_the_addresses(client, private, admin_user):
    from tests.helpers import login_verified

    login_verified(client, admin_user)
    answer = client.post(
        reverse("consultations:room-staff-action", args=["square", private.pk, "invite"]),
        {"emails": "vera@example.org\nivan@example.org"},
        follow=True,
    )
    assert "Invitations sent: 2" in answer.content.decode()
    assert "ivan@example.org" in answer.content.decode()
    invitation = RoomInvitation.objects.first()
    client.post(
        reverse("consultations:room-staff-action", args=["square", private.pk, "withdraw"]),
        {"invitation": invitation.pk},
    )
    assert RoomInvitation.objects.count() == 1


def test_export_and_erasure_cover_rooms(private, slides, invited, admin_user):
    from gorod.consultations import personal_data

    invite(module=private, actor=admin_user, emails="vera@example.org")
    link = _link_in_mail_to("vera@example.org")
    invitation_accept(module=private, token=link.rstrip("/").rsplit("/", 1)[1], user=invited)
    pin = pin_add(slide=slides["panorama"], user=invited, text="My view", region="s")
    data = personal_data.export(invited)["consultations"]
    assert data["room_comments"][0]["text"] == "My view"
    assert data["room_comments"][0]["yaw"] == 180.0
    assert data["room_invitations"][0]["accepted"]
    counts = personal_data.erase(invited)
    assert counts["consultation_room_invitations"] == 1 and counts["consultation_room_comments"] == 1
    assert not RoomInvitation.objects.exists()
    pin.refresh_from_db()
    assert pin.author is None and pin.text == "My view"  # the record stays, without the person


def test_outsiders_cannot_flag_comments_in_an_invite_only_room(client, private, slides, citizen, admin_user):
    from gorod.consultations.contributions import Flag

    pin = pin_add(slide=slides["plan"], user=admin_user, text="Staff note here", x=0.5, y=0.5)
    client.force_login(citizen)
    answer = client.post(
        reverse("consultations:flag", args=["square", private.pk, "pin", pin.pk]), {"reason": "guessing ids"}
    )
    assert answer.status_code == 404
    assert not Flag.objects.exists()
