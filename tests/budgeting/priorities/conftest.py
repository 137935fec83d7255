"""A small game whose aggregate can be worked out by hand:

coins 10; priorities air and safe;
  roads: repair (6 coins: air -1, safe +2), lights (3 coins: safe +1);  parks: trees (4 coins: air +3).
"""

from __future__ import annotations

import pytest

from gorod.budgeting.priorities.schema import parse_game_file
from gorod.budgeting.priorities.services import game_import, play_submit

SMALL = """
game:
  slug: small
  municipality: testgrad
  title: Малая игра
  title_en: Small game
  intro: Потратьте 10 монет.
  coins: 10
  opens_on: 2026-05-01
  closes_on: 2026-05-31
priorities:
  - {key: air, name: Воздух, name_en: Air}
  - {key: safe, name: Безопасность, name_en: Safety}
areas:
  - key: roads
    name: Дороги
    name_en: Roads
    actions:
      - {key: repair, name: Ремонт, name_en: Repair, cost: 6, effects: {air: -1, safe: 2}}
      - {key: lights, name: Фонари, name_en: Lights, cost: 3, effects: {safe: 1}}
  - key: parks
    name: Парки
    name_en: Parks
    actions:
      - {key: trees, name: Деревья, name_en: Trees, cost: 4, effects: {air: 3}}
"""


@pytest.fixture(autouse=True)
def _no_aggregate_cache(settings):
    settings.GOROD_PRIORITIES_CACHE_S = 0


@pytest.fixture
def small_text() -> str:
    return SMALL


@pytest.fixture
def small_game(city):
    return game_import(parse_game_file(SMALL, filename="small.yaml"))


@pytest.fixture
def ids(small_game):
    return dict(small_game.actions.values_list("key", "pk"))


@pytest.fixture
def four_plays(small_game, ids, frozen_spring):
    """P1 repair+lights, P2 repair+trees, P3 lights+trees, P4 trees (the spring day is in May)."""
    plays = [["repair", "lights"], ["repair", "trees"], ["lights", "trees"], ["trees"]]
    return [
        play_submit(game=small_game, token=f"t{n}", action_ids=[ids[k] for k in keys])
        for n, keys in enumerate(plays)
    ]
