"""Following a project: updates and the final report go into the outbox, once per person."""

from __future__ import annotations

import json

import pytest

from gorod.consultations import services
from gorod.consultations.errors import Refused
from gorod.consultations.models import Follower
from gorod.notifications.models import Delivery

pytestmark = pytest.mark.usefixtures("english")


def _mails_to(address: str) -> list[dict]:
    """The payloads (subject, body, unsubscribe) of the mails to one address, oldest first."""
    return [json.loads(d.payload) for d in Delivery.objects.order_by("id") if d.recipient == address]


def test_an_email_follower_is_stored_encrypted_and_welcomed(make_project):
    from django.db import connection

    project = make_project()
    services.follow_by_email(project=project, email="Olga@Example.org")
    services.follow_by_email(project=project, email=" olga@example.org ")  # the same person
    assert Follower.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM consultations_follower")
        (stored,) = cursor.fetchone()
    assert "example.org" not in stored.lower()
    assert len(_mails_to("Olga@Example.org")) == 1


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x" * 300 + "@example.org"])
def test_a_bad_address_is_refused(make_project, email):
    with pytest.raises(Refused, match="valid e-mail"):
        services.follow_by_email(project=make_project(), email=email)
    assert not Follower.objects.exists()


def test_an_update_is_mailed_to_every_follower_once(make_project, citizen, admin_user):
    project = make_project()
    services.follow_user(project=project, user=citizen)
    services.follow_by_email(project=project, email="olga@example.org")
    update = services.update_publish(
        project=project, title="Works start", body="In **June**.", author=admin_user
    )
    from gorod.consultations.services.follow import notify_update

    notify_update(update)  # again: the outbox keys make it a no-op
    to_anna = _mails_to("anna@example.org")
    assert len(to_anna) == 1
    assert "Works start" in to_anna[0]["subject"]
    assert "/projects/unfollow/" in to_anna[0]["body"]
    assert to_anna[0]["unsubscribe"]
    assert len(_mails_to("olga@example.org")) == 2  # the welcome and the update


def test_the_final_report_reaches_followers_and_participants_once(make_project, citizen, admin_user):
    from gorod.accounts.models import User

    project = make_project()
    services.follow_user(project=project, user=citizen)
    services.participation_record(project=project, user=citizen)  # a follower who also took part
    other = User.objects.create_user(username="ivan", password="x-pass-12345", email="ivan@example.org")
    services.participation_record(project=project, user=other)
    services.final_report_publish(project=project, text="We heard: more benches.", actor=admin_user)
    services.final_report_publish(project=project, text="Corrected: more benches.", actor=admin_user)
    assert len(_mails_to("anna@example.org")) == 1
    final = _mails_to("ivan@example.org")
    assert len(final) == 1 and "more benches" in final[0]["body"]


def test_unfollow_by_the_signed_link(make_project, client):
    project = make_project(slug="park")
    follower = services.follow_by_email(project=project, email="olga@example.org")
    token = services.unfollow_token(follower)
    assert "olga" not in token
    page = client.get(f"/projects/unfollow/{token}/")
    assert page.status_code == 200 and Follower.objects.exists()  # GET only asks
    client.post(f"/projects/unfollow/{token}/")
    assert not Follower.objects.exists()
    assert client.post("/projects/unfollow/forged/").status_code == 200  # says the link is not valid


def test_an_update_needs_a_published_project(make_project):
    with pytest.raises(Refused, match="Publish the project"):
        services.update_publish(project=make_project(published=False), title="x", body="y")
