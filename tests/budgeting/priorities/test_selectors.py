from __future__ import annotations

import pytest

from gorod.budgeting.priorities import selectors
from gorod.budgeting.priorities.services import play_submit

pytestmark = pytest.mark.django_db


def test_the_aggregate_matches_the_figures_worked_out_by_hand(small_game, ids, four_plays):
    b = selectors.board(small_game)
    agg = selectors.compute_aggregate(b)
    assert agg.plays == 4
    # repair: P1, P2; lights: P1, P3; trees: P2, P3, P4
    assert agg.share == {ids["repair"]: 0.5, ids["lights"]: 0.5, ids["trees"]: 0.75}
    assert agg.chosen == {ids["repair"]: 2, ids["lights"]: 2, ids["trees"]: 3}
    areas = {a.key: a.pk for a in b.areas}
    # roads: 9 + 6 + 3 + 0 = 18 coins over 4 plays; parks: 3 × 4 = 12 coins over 4 plays
    assert agg.area_coins == {areas["roads"]: 4.5, areas["parks"]: 3.0}
    prios = {p.key: p.pk for p in b.priorities}
    # air: -1, -1+3, 3, 3 = 7 → 1.75; safe: 2+1, 2, 1, 0 = 6 → 1.5
    assert agg.priority_effect == {prios["air"]: 1.75, prios["safe"]: 1.5}


def test_the_aggregate_of_a_game_nobody_played_is_zero(small_game, ids):
    agg = selectors.compute_aggregate(selectors.board(small_game))
    assert agg.plays == 0
    assert set(agg.share.values()) == {0.0} and set(agg.priority_effect.values()) == {0.0}


def test_a_replaced_play_counts_once_with_its_new_choice(small_game, ids, frozen_spring):
    play_submit(game=small_game, token="t", action_ids=[ids["repair"]])
    play_submit(game=small_game, token="t", action_ids=[ids["trees"]])
    agg = selectors.compute_aggregate(selectors.board(small_game))
    assert agg.plays == 1 and agg.share[ids["repair"]] == 0 and agg.share[ids["trees"]] == 1


def test_the_aggregate_is_cached_briefly_and_an_edit_of_the_game_shows_at_once(
    settings, small_game, ids, four_plays, frozen_spring
):
    settings.GOROD_PRIORITIES_CACHE_S = 60
    assert selectors.aggregate(selectors.board(small_game)).plays == 4
    play_submit(game=small_game, token="new", action_ids=[ids["trees"]])
    assert selectors.aggregate(selectors.board(small_game)).plays == 4  # from the cache
    small_game.title = "Изменено"
    small_game.save()  # a new `updated`, hence a new cache key
    assert selectors.aggregate(selectors.board(small_game)).plays == 5


def test_the_board_and_the_aggregate_take_a_fixed_number_of_queries(
    small_game, four_plays, django_assert_num_queries
):
    with django_assert_num_queries(4):
        b = selectors.board(small_game)
    with django_assert_num_queries(2):
        selectors.compute_aggregate(b)


def test_the_bar_scale_is_the_most_a_priority_can_move_within_the_pool(small_game):
    # safe: repair + lights = +3 within 10 coins; air: trees +3 (or -1 for repair): the scale is 3.
    assert selectors.board(small_game).scale == 3


@pytest.mark.parametrize(
    ("costs", "values", "pool", "best"),
    [
        ([6, 3, 4], [2, 1, 0], 10, 3),
        ([5, 5, 6], [3, 3, 5], 10, 6),  # two items of 3 beat the single 5
        ([11], [9], 10, 0),  # nothing fits
        ([1, 1, 1], [-1, 2, 2], 2, 4),  # negative values are never taken
    ],
)
def test_best_within_is_a_zero_one_knapsack(costs, values, pool, best):
    assert selectors.best_within(costs, values, pool) == best


def test_board_totals_sum_the_effects_of_the_chosen_actions(small_game, ids):
    b = selectors.board(small_game)
    prios = {p.key: p.pk for p in b.priorities}
    assert b.totals([ids["repair"], ids["trees"]]) == {prios["air"]: 2, prios["safe"]: 2}
    assert b.totals([]) == {prios["air"]: 0, prios["safe"]: 0}


def test_a_session_finds_only_its_own_play(small_game, ids, four_plays):
    assert selectors.play_for(small_game, "t0") == four_plays[0]
    assert selectors.play_for(small_game, "nope") is None
    assert selectors.play_for(small_game, None) is None
