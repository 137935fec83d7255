from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from gorod.budgeting.priorities.models import Action, Area, Effect, Game, Priority
from gorod.budgeting.priorities.schema import GameFileInvalid, parse_game_file
from gorod.budgeting.priorities.services import game_import, game_import_file

pytestmark = pytest.mark.django_db


def _import(text: str) -> Game:
    return game_import(parse_game_file(text, filename="game.yaml"))


def test_a_game_file_creates_the_game_with_its_areas_actions_priorities_and_effects(small_game):
    assert small_game.coins == 10 and small_game.label == "Малая игра"
    assert list(Area.objects.values_list("key", flat=True)) == ["roads", "parks"]
    assert list(Priority.objects.values_list("key", flat=True)) == ["air", "safe"]
    assert list(Action.objects.order_by("order").values_list("key", "area__key", "cost")) == [
        ("repair", "roads", 6),
        ("lights", "roads", 3),
        ("trees", "parks", 4),
    ]
    assert sorted(Effect.objects.values_list("action__key", "priority__key", "value")) == [
        ("lights", "safe", 1),
        ("repair", "air", -1),
        ("repair", "safe", 2),
        ("trees", "air", 3),
    ]


def test_importing_again_updates_in_place_and_removes_what_the_file_dropped(small_game, small_text):
    changed = small_text.replace("cost: 3, effects: {safe: 1}", "cost: 2, effects: {air: 1}").replace(
        "      - {key: trees, name: Деревья, name_en: Trees, cost: 4, effects: {air: 3}}\n",
        "      - {key: ponds, name: Пруды, cost: 5}\n",
    )
    game = _import(changed)
    assert game.pk == small_game.pk
    assert Action.objects.get(key="lights").cost == 2
    assert set(Action.objects.values_list("key", flat=True)) == {"repair", "lights", "ponds"}
    assert list(Effect.objects.filter(action__key="lights").values_list("priority__key", "value")) == [
        ("air", 1)
    ]


def test_the_same_file_twice_leaves_one_copy(small_game, small_text):
    _import(small_text)
    assert (Game.objects.count(), Action.objects.count(), Effect.objects.count()) == (1, 3, 4)


def _error(text: str) -> str:
    with pytest.raises(GameFileInvalid) as exc:
        parse_game_file(text, filename="game.yaml")
    return str(exc.value)


def test_broken_yaml_is_refused_with_its_line(small_text):
    message = _error(small_text.replace("  coins: 10", "  coins: [10"))
    assert message.startswith("game.yaml line ") and "not valid YAML" in message


def test_an_effect_on_an_unknown_priority_is_located(small_text):
    message = _error(small_text.replace("effects: {air: 3}", "effects: {air: 3, fun: 1}"))
    assert message == 'game.yaml: areas[1] (key "parks").actions[0] (key "trees").effects: no priority "fun"'


def test_an_effect_out_of_range_is_located(small_text):
    message = _error(small_text.replace("effects: {air: 3}", "effects: {air: 5}"))
    assert 'areas[1] (key "parks").actions[0] (key "trees")' in message
    assert 'effect on "air" must be a whole number from -3 to 3' in message


def test_a_negative_or_zero_cost_is_located(small_text):
    message = _error(small_text.replace("cost: 4", "cost: -4"))
    assert 'areas[1] (key "parks").actions[0] (key "trees").cost' in message
    assert "greater than or equal to 1" in message


def test_a_cost_over_the_pool_is_located(small_text):
    message = _error(small_text.replace("cost: 4", "cost: 40"))
    assert message == (
        'game.yaml: areas[1] (key "parks").actions[0] (key "trees").cost: '
        "40 is more than a player's 10 coins"
    )


def test_every_problem_is_listed_not_only_the_first(small_text):
    text = small_text.replace("cost: 4", "cost: 40").replace("key: lights", "key: repair")
    message = _error(text.replace("{air: 3}", "{air: 3, fun: 1}"))
    assert len(message.splitlines()) == 3
    assert 'actions[1] (key "repair"): the key appears twice in the game' in message


def test_dates_out_of_order_are_refused(small_text):
    message = _error(small_text.replace("closes_on: 2026-05-31", "closes_on: 2026-04-30"))
    assert message == "game.yaml: game: closes_on is before opens_on"


def test_unknown_fields_are_refused(small_text):
    message = _error(small_text.replace("closes_on: 2026-05-31", "closes_on: 2026-05-31\n  colour: red"))
    assert message == "game.yaml: game.colour: Extra inputs are not permitted"


def test_an_impossible_date_is_refused(small_text):
    assert "impossible value" in _error(small_text.replace("2026-05-31", "2026-02-30"))


def test_a_file_that_is_not_a_mapping_is_refused():
    assert "top level must be a mapping" in _error("- just\n- a list\n")


def test_an_unknown_municipality_is_refused_and_nothing_is_imported(city, small_text):
    with pytest.raises(GameFileInvalid, match='no municipality "atlantis"'):
        _import(small_text.replace("municipality: testgrad", "municipality: atlantis"))
    assert not Game.objects.exists()


def test_an_action_that_players_chose_cannot_be_removed_and_nothing_changes(four_plays, small_text):
    text = small_text.replace("title: Малая игра", "title: Новое имя").replace(
        "      - {key: trees, name: Деревья, name_en: Trees, cost: 4, effects: {air: 3}}\n",
        "      - {key: ponds, name: Пруды, cost: 5}\n",
    )
    with pytest.raises(GameFileInvalid, match='"trees" was chosen by players'):
        _import(text)
    game = Game.objects.get()
    assert game.title == "Малая игра"
    assert set(Action.objects.values_list("key", flat=True)) == {"repair", "lights", "trees"}


def test_the_import_command_says_what_it_loaded(city, small_text, tmp_path, capsys):
    path = tmp_path / "game.yaml"
    path.write_text(small_text, encoding="utf-8")
    call_command("priorities_import", str(path))
    out = capsys.readouterr().out
    assert 'Imported game "small"' in out and "3 actions, 2 priorities, 10 coins" in out


def test_the_import_command_refuses_a_bad_file_with_located_errors(city, small_text, tmp_path):
    path = tmp_path / "game.yaml"
    path.write_text(small_text.replace("effects: {air: 3}", "effects: {fun: 1}"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"Refused, nothing imported:\ngame.yaml: areas\[1\]"):
        call_command("priorities_import", str(path))
    assert not Game.objects.exists()


def test_a_missing_or_undecodable_file_is_refused(city, tmp_path):
    with pytest.raises(GameFileInvalid, match="cannot read"):
        game_import_file(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(GameFileInvalid, match="cannot read"):
        game_import_file(bad)
