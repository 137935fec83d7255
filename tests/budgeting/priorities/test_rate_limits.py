"""Plays are limited per client: fresh cookies (a new session each time) do not buy more plays, and the
no-JavaScript "recalculate" is not a play."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.budgeting.priorities.models import Play
from gorod.core import clock

pytestmark = pytest.mark.django_db
PLAY = "/pb/priorities/small/"


def test_fresh_cookies_do_not_buy_extra_plays(write_limits, small_game, ids, frozen_spring):
    write_limits.GOROD_RATE_LIMITS = {"game_play": "5/h"}
    choice = {"action": [ids["repair"]], "intent": "submit"}
    with clock.frozen(clock.now()):
        answers = [Client().post(PLAY, choice) for _ in range(25)]  # a new browser session each time
    assert [a.status_code for a in answers[:5]] == [302] * 5
    assert {a.status_code for a in answers[5:]} == {429}
    assert all(int(a["Retry-After"]) > 0 for a in answers[5:])
    assert Play.objects.count() == 5


def test_recalculating_is_not_a_play(client, write_limits, small_game, ids, frozen_spring):
    write_limits.GOROD_RATE_LIMITS = {"game_play": "1/h"}
    preview = {"action": [ids["repair"]], "intent": "preview"}
    assert {client.post(PLAY, preview).status_code for _ in range(5)} == {200}
    assert client.post(PLAY, {"action": [ids["repair"]], "intent": "submit"}).status_code == 302
