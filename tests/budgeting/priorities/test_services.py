from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import translation

from gorod.budgeting.priorities.models import Action, Choice, Effect, Game, Play
from gorod.budgeting.priorities.schema import parse_game_file
from gorod.budgeting.priorities.services import PlayInvalid, game_import, play_submit, token_hash
from gorod.core import clock
from tests.conftest import MSK

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_play_is_saved_with_the_coins_of_each_action(small_game, ids, frozen_spring):
    play = play_submit(game=small_game, token="tok", action_ids=[str(ids["repair"]), str(ids["trees"])])
    assert play.coins_spent == 10
    assert play.token_hash == token_hash("tok") and "tok" not in play.token_hash
    assert sorted(play.choices.values_list("action__key", "coins")) == [("repair", 6), ("trees", 4)]


def test_a_second_play_from_the_same_session_replaces_the_first(small_game, ids, frozen_spring):
    first = play_submit(game=small_game, token="tok", action_ids=[ids["repair"], ids["lights"]])
    second = play_submit(game=small_game, token="tok", action_ids=[ids["trees"]])
    assert first.pk == second.pk
    assert Play.objects.count() == 1
    assert list(Choice.objects.values_list("action__key", flat=True)) == ["trees"]
    assert Play.objects.get().coins_spent == 4


def test_other_sessions_get_their_own_plays(small_game, ids, frozen_spring):
    play_submit(game=small_game, token="a", action_ids=[ids["trees"]])
    play_submit(game=small_game, token="b", action_ids=[ids["trees"]])
    assert Play.objects.count() == 2


@pytest.mark.parametrize(
    "forged",
    [
        ["abc"],
        ["-1"],
        ["+5"],
        [" 5"],
        ["1.0"],
        ["١"],  # an Arabic-Indic digit: isdigit() but not a number we issue
        ["9" * 5000],
        ["999999999"],
        [""],
    ],
)
def test_forged_action_ids_are_refused_and_nothing_is_saved(small_game, ids, frozen_spring, forged):
    with pytest.raises(PlayInvalid, match="not part of this game"):
        play_submit(game=small_game, token="tok", action_ids=[ids["trees"], *forged])
    assert not Play.objects.exists() and not Choice.objects.exists()


def test_an_action_of_another_game_is_refused(small_game, small_text, ids, frozen_spring):
    other = game_import(parse_game_file(small_text.replace("slug: small", "slug: other")))
    foreign = Action.objects.get(game=other, key="trees")
    with pytest.raises(PlayInvalid, match="not part of this game"):
        play_submit(game=small_game, token="tok", action_ids=[foreign.pk])
    assert not Play.objects.exists()


def test_an_action_given_twice_is_refused(small_game, ids, frozen_spring):
    with pytest.raises(PlayInvalid, match="chosen twice"):
        play_submit(game=small_game, token="tok", action_ids=[ids["lights"], str(ids["lights"])])
    assert not Play.objects.exists()


def test_a_choice_over_the_pool_is_refused_with_the_amount(small_game, ids, frozen_spring):
    with pytest.raises(PlayInvalid, match="costs 13 coins, 3 coins more than the 10"):
        play_submit(game=small_game, token="tok", action_ids=[ids["repair"], ids["lights"], ids["trees"]])
    assert not Play.objects.exists()


def test_an_over_budget_replay_keeps_the_previous_play(small_game, ids, frozen_spring):
    play_submit(game=small_game, token="tok", action_ids=[ids["trees"]])
    with pytest.raises(PlayInvalid):
        play_submit(game=small_game, token="tok", action_ids=[ids["repair"], ids["lights"], ids["trees"]])
    assert list(Choice.objects.values_list("action__key", flat=True)) == ["trees"]


def test_an_empty_choice_is_refused(small_game, frozen_spring):
    with pytest.raises(PlayInvalid, match="at least one"):
        play_submit(game=small_game, token="tok", action_ids=[])


def test_a_play_without_a_token_is_refused(small_game, ids, frozen_spring):
    with pytest.raises(PlayInvalid, match="token"):
        play_submit(game=small_game, token="", action_ids=[ids["trees"]])


@pytest.mark.parametrize(
    "day", [dt.datetime(2026, 4, 30, 23, 0, tzinfo=MSK), dt.datetime(2026, 6, 1, 0, 5, tzinfo=MSK)]
)
def test_a_play_outside_the_game_dates_is_refused(small_game, ids, day):
    with clock.frozen(day), pytest.raises(PlayInvalid, match="closed"):
        play_submit(game=small_game, token="tok", action_ids=[ids["trees"]])
    assert not Play.objects.exists()


def test_the_last_day_counts_in_the_city_time_zone(small_game, ids):
    # The dates are the city's days: 23:30 on 31 May in Moscow is open, 21:30 UTC (00:30 in Moscow) not.
    with clock.frozen(dt.datetime(2026, 5, 31, 23, 30, tzinfo=MSK)):
        play_submit(game=small_game, token="tok", action_ids=[ids["trees"]])
    with clock.frozen(dt.datetime(2026, 5, 31, 21, 30, tzinfo=dt.UTC)), pytest.raises(PlayInvalid):
        play_submit(game=small_game, token="tok2", action_ids=[ids["trees"]])  # 00:30 on 1 June in Moscow
    assert Play.objects.count() == 1


def test_an_unpublished_game_takes_no_plays(small_game, ids, frozen_spring):
    Game.objects.filter(pk=small_game.pk).update(published=False)
    small_game.refresh_from_db()
    with pytest.raises(PlayInvalid, match="closed"):
        play_submit(game=small_game, token="tok", action_ids=[ids["trees"]])


def test_effects_out_of_range_are_refused_by_validation_and_by_the_database(small_game, ids):
    effect = Effect(action_id=ids["trees"], priority=small_game.priorities.get(key="safe"), value=4)
    with pytest.raises(ValidationError):
        effect.full_clean()
    from django.db import IntegrityError, transaction

    with transaction.atomic(), pytest.raises(IntegrityError):
        effect.save()


def test_an_action_must_belong_to_the_game_of_its_area(small_game, small_text):
    other = game_import(parse_game_file(small_text.replace("slug: small", "slug: other")))
    action = Action(game=small_game, area=other.areas.first(), key="x", name="x", cost=1)
    with pytest.raises(ValidationError, match="another game"):
        action.full_clean()


def test_an_action_cannot_cost_more_than_the_pool(small_game):
    action = Action(game=small_game, area=small_game.areas.first(), key="x", name="x", cost=11)
    with pytest.raises(ValidationError, match="whole pool"):
        action.full_clean()


def test_an_effect_must_point_at_a_priority_of_the_same_game(small_game, small_text, ids):
    other = game_import(parse_game_file(small_text.replace("slug: small", "slug: other")))
    effect = Effect(action_id=ids["trees"], priority=other.priorities.first(), value=1)
    with pytest.raises(ValidationError, match="another game"):
        effect.full_clean()


def test_a_game_cannot_close_before_it_opens(small_game):
    small_game.closes_on = dt.date(2026, 4, 1)
    with pytest.raises(ValidationError, match="close before"):
        small_game.full_clean()


def test_an_action_people_chose_cannot_be_deleted_by_accident(four_plays, ids):
    with pytest.raises(ProtectedError):
        Action.objects.get(pk=ids["trees"]).delete()
