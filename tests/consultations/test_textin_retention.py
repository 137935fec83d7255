"""Text-in keeps a sender's number for GOROD_SMS_KEEP_NUMBERS_DAYS, then forgets it (number and hash);
the contribution stays, and STOP and bans outlive it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gorod.consultations.ideas.models import Idea
from gorod.consultations.services import module_add
from gorod.consultations.textin import retention, services
from gorod.consultations.textin.models import OptOut, TextMessage
from gorod.core import clock
from tests.consultations.textin_helpers import send


@pytest.fixture(autouse=True)
def fake_gateway(settings):
    settings.GOROD_SMS_GATEWAY = "fake"
    settings.GOROD_SMS_KEEP_NUMBERS_DAYS = 3


def test_numbers_are_forgotten_after_the_retention_time(make_project, admin_user, city, settings):
    project = make_project(state="open", slug="park")
    wall = module_add(phase=project.phase_list()[0], kind="idea_wall", title="Ideas")
    services.keyword_add(municipality=city, word="PARK", module=wall, actor=admin_user)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    send(client, "m1", "PARK an old idea about benches")
    send(client, "m2", "STOP")
    assert retention.forget_old_numbers() == 0
    with clock.frozen(clock.now() + dt.timedelta(days=4)):
        send(client, "m3", "PARK a fresh idea about lights")
        assert retention.forget_old_numbers() == 2
        assert retention.forget_old_numbers() == 0  # idempotent
    old = TextMessage.objects.get(message_id="m1")
    assert (old.phone, old.phone_hash) == ("", "") and old.idea is not None
    assert TextMessage.objects.get(message_id="m3").phone == "+79215551234"
    assert Idea.objects.count() == 2 and OptOut.objects.count() == 1


def test_the_job_is_on_the_timetable(settings):
    assert ("gorod.consultations.textin.tasks.forget_old_numbers", 86400) in settings.GOROD_PERIODIC_JOBS
