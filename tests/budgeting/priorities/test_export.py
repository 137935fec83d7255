from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from pabutools.election import parse_pabulib
from pabutools.election.pabulib import parse_pabulib_from_string

from gorod.budgeting.priorities.export import pabulib_text
from gorod.budgeting.priorities.models import Action

pytestmark = pytest.mark.django_db


def _points(profile) -> list[dict[str, int]]:
    return [{p.name: int(v) for p, v in ballot.items()} for ballot in profile]


def test_the_export_is_a_cumulative_pabulib_file_with_the_coins_as_points(four_plays, tmp_path):
    path = tmp_path / "small.pb"
    path.write_text(pabulib_text(four_plays[0].game), encoding="utf-8")
    instance, profile = parse_pabulib(str(path))
    assert instance.meta["vote_type"] == "cumulative"
    assert int(instance.budget_limit) == 10 and instance.meta["max_sum_points"] == "10"
    assert {p.name: int(p.cost) for p in instance} == {"repair": 6, "lights": 3, "trees": 4}
    assert _points(profile) == [
        {"repair": 6, "lights": 3},
        {"repair": 6, "trees": 4},
        {"lights": 3, "trees": 4},
        {"trees": 4},
    ]
    # Nothing but the points and a position (not a database id): no personal data.
    assert [b.meta for b in profile] == [{"voter_id": str(n)} for n in (1, 2, 3, 4)]


def test_the_projects_carry_votes_and_scores(four_plays):
    instance, _ = parse_pabulib_from_string(pabulib_text(four_plays[0].game))
    by_name = {p.name: p for p in instance}
    assert instance.project_meta[by_name["trees"]]["votes"] == "3"
    assert instance.project_meta[by_name["trees"]]["score"] == "12"
    assert by_name["repair"].categories == {"roads"}


def test_the_export_of_a_game_nobody_played_has_projects_and_no_votes(small_game):
    instance, profile = parse_pabulib_from_string(pabulib_text(small_game))
    assert len(instance) == 3 and len(profile) == 0
    assert instance.meta["num_votes"] == "0"


def test_semicolons_and_new_lines_in_names_cannot_break_the_file(four_plays, ids):
    Action.objects.filter(pk=ids["trees"]).update(name="Деревья; и\nкусты")
    text = pabulib_text(four_plays[0].game)
    instance, profile = parse_pabulib_from_string(text)
    assert len(instance) == 3 and len(profile) == 4
    assert "Деревья, и кусты" in text


def test_the_export_command_writes_the_file(four_plays, tmp_path):
    out = tmp_path / "out.pb"
    call_command("priorities_export", "small", "--output", str(out))
    _, profile = parse_pabulib(str(out))
    assert len(profile) == 4


def test_the_export_command_names_the_games_when_the_slug_is_unknown(small_game):
    with pytest.raises(CommandError, match=r'No game "nope"\. Games: small\.'):
        call_command("priorities_export", "nope")
