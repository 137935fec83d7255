"""The priorities game's list and results pages load in a fixed number of queries, the same with 2
games or plays as with 20."""

from __future__ import annotations

import itertools

import pytest

from gorod.budgeting.priorities.schema import parse_game_file
from gorod.budgeting.priorities.services import game_import, play_submit
from tests.query_counts import assert_pinned, get, growing

pytestmark = pytest.mark.django_db


def test_games_list(client, city, small_text, frozen_spring):
    numbers = itertools.count(1)

    def add(k):
        for n in itertools.islice(numbers, k):
            text = small_text.replace("slug: small", f"slug: game-{n}")
            game_import(parse_game_file(text, filename="game.yaml"))

    # the city and its games
    assert_pinned(2, growing(add, get(client, "/pb/priorities/")))


def test_game_results(client, small_game, frozen_spring):
    game = small_game
    actions = list(game.actions.values_list("pk", flat=True))
    numbers = itertools.count(1)

    def add(k):
        for n in itertools.islice(numbers, k):
            play_submit(game=game, token=f"t{n}", action_ids=actions[:2])

    # the game, its board (priorities, areas, actions, effects), the number of plays and the choices' totals
    assert_pinned(7, growing(add, get(client, f"/pb/priorities/{game.slug}/results/")))
