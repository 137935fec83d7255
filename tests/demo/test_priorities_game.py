from __future__ import annotations

import datetime as dt
import io

import pytest

from gorod.budgeting.priorities import selectors
from gorod.budgeting.priorities.models import Action, Choice, Game, Play
from gorod.budgeting.priorities.schema import parse_game_file
from gorod.budgeting.priorities.services import game_is_open
from gorod.demo.budgeting import priorities as demo
from tests.budgeting.priorities.conftest import _no_aggregate_cache  # noqa: F401

pytestmark = pytest.mark.django_db

ANCHOR = dt.date(2026, 5, 12)


def test_the_demo_file_is_a_valid_game_file():
    file = parse_game_file(demo.DEMO_FILE.read_text(encoding="utf-8"), filename=demo.DEMO_FILE.name)
    assert len(file.priorities) == 5 and len([a for area in file.areas for a in area.actions]) == 13


def _share(game: Game) -> dict[str, float]:
    b = selectors.board(game)
    agg = selectors.compute_aggregate(b)
    return {b.actions[pk].key: share for pk, share in agg.share.items()}


def test_the_demo_seeds_an_open_game_with_a_few_hundred_plays_once(city, frozen_spring):
    out = io.StringIO()
    demo.seed(municipality=city, seed=1, anchor=ANCHOR, stdout=out)
    game = Game.objects.get(slug="spb-priorities")
    assert game.municipality == city and game_is_open(game)
    assert Play.objects.count() == demo.PLAYERS and Action.objects.count() == 13
    assert "320 demo plays" in out.getvalue()
    first = _share(game)
    choices = Choice.objects.count()

    demo.seed(municipality=city, seed=1, anchor=ANCHOR, stdout=io.StringIO())
    assert Play.objects.count() == demo.PLAYERS and Choice.objects.count() == choices
    assert _share(game) == first


def test_the_demo_plays_stay_within_the_pool_and_differ(city, frozen_spring):
    demo.seed(municipality=city, seed=3, anchor=ANCHOR, stdout=io.StringIO())
    spent = list(Play.objects.values_list("coins_spent", flat=True))
    assert max(spent) <= 100 and min(spent) > 0
    shares = _share(Game.objects.get())
    # A meaningful comparison: no action chosen by everybody or by nobody.
    assert min(shares.values()) > 0 and max(shares.values()) < 1
