"""Pabulib parsing and writing: every shared file round-trips; bad input names its line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gorod.budgeting import pabulib
from tests.pabulib_files import PABULIB_DIR

SHARED = PABULIB_DIR
FILES = sorted(SHARED.glob("*.pb"))

SMALL = """META
key;value
description;test
budget;100.50
vote_type;cumulative
PROJECTS
project_id;cost;name;votes;selected
b;40.0;"Bench; with a semicolon";2;1
a;60;Trees;1;0
VOTES
voter_id;vote;points;age
v1;b,a;3,2;30
v2;b;5;
"""


def test_the_shared_files_are_there():
    assert len(FILES) == 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_shared_file_round_trips(path):
    parsed = pabulib.load(path)
    again = pabulib.parse(pabulib.dumps(parsed))
    assert again == parsed
    assert len(parsed.votes) == int(parsed.meta["num_votes"])
    assert len(parsed.projects) == int(parsed.meta["num_projects"])


def test_decimal_costs_are_kept_as_written():
    parsed = pabulib.load(SHARED / "France_Toulouse_2022_6_-_Saint-Cyprien.pb")
    assert parsed.projects["37"].cost == Decimal("40000.0")
    text = pabulib.dumps(parsed)
    assert "37;40000.0;9;Clarifier" in text
    assert "budget;400000.0" in text


def test_extra_columns_and_vote_order_are_kept():
    krakow = pabulib.load(SHARED / "Poland_Krakow_2018_Swoszowice.pb")
    first = krakow.votes[0]
    assert first.voter_id == "28" and first.vote == ["8", "7", "1"]  # ranked, best first
    assert first.fields == {"voting_method": "internet"}
    assert krakow.projects["9"].fields["score"] == "700"
    zurich = pabulib.load(SHARED / "Switzerland_Zurich_D10.pb")
    assert zurich.votes[0].vote == ["9", "3", "13"] and zurich.votes[0].points == [4, 3, 3]
    assert zurich.vote_columns[:3] == ["voter_id", "vote", "points"]


def test_a_value_with_a_semicolon_is_quoted_and_read_back():
    parsed = pabulib.parse(SMALL)
    assert parsed.projects["b"].name == "Bench; with a semicolon"
    assert parsed.projects["b"].cost == Decimal("40.0")
    assert parsed.budget == Decimal("100.50")
    assert parsed.votes[1].fields == {"age": ""}
    assert pabulib.parse(pabulib.dumps(parsed)) == parsed


def test_a_file_built_in_code_gets_its_required_columns():
    built = pabulib.PabulibFile(
        meta={"budget": "10", "vote_type": "approval"},
        projects={"x": pabulib.Project("x", 5, "X")},
        votes=[pabulib.Vote("1", ["x"])],
        project_columns=[],
        vote_columns=[],
    )
    text = pabulib.dumps(built)
    assert "project_id;cost;name\nx;5;X\n" in text
    assert pabulib.parse(text).votes == built.votes


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (lambda t: t.replace("META\n", "", 1), 1, "must start with META"),
        (lambda t: t.replace("budget;100.50\n", ""), None, "META has no budget"),
        (lambda t: t.replace("vote_type;cumulative\n", ""), 11, "META has no vote_type"),
        (lambda t: t.replace("vote_type;cumulative", "vote_type;borda"), None, "not one of"),
        (lambda t: t.replace("a;60;Trees", "a;sixty;Trees"), 9, "cost 'sixty' is not a number"),
        (lambda t: t.replace("a;60;Trees", "a;-6;Trees"), 9, "non-negative"),
        (lambda t: t.replace("a;60;Trees", "b;60;Trees"), 9, "appears twice"),
        (lambda t: t.replace("v2;b;5;", "v2;b;5"), 13, "3 fields where the header has 4"),
        (lambda t: t.replace("v2;b;5;", "v2;zz;5;"), 13, "unknown project 'zz'"),
        (lambda t: t.replace("v2;b;5;", "v2;b,b;5,1;"), 13, "appears twice in one vote"),
        (lambda t: t.replace("v2;b;5;", "v2;b;five;"), 13, "not whole numbers"),
        (lambda t: t.replace("v2;b;5;", "v2;b,a;5;"), 13, "1 points for 2 projects"),
        (lambda t: t.replace("v2;b;5;", "v1;b;5;"), 13, "voter 'v1' appears twice"),
        (
            lambda t: t.replace("voter_id;vote;points;age", "voter_id;ballot;points;age"),
            11,
            "needs the columns",
        ),
        (lambda t: t.replace("voter_id;vote;points;age", "voter_id;vote;age"), 12, "4 fields"),
        (lambda t: t.split("VOTES")[0], None, "missing section(s): VOTES"),
        (lambda t: t.replace("PROJECTS", "VOTES", 1), 6, "found where PROJECTS was expected"),
        (lambda t: t + "META\n", 14, "appears twice"),
        (lambda t: t.replace("budget;100.50", "budget;lots"), None, "budget 'lots' is not a number"),
    ],
)
def test_bad_input_is_refused_with_its_line(change, line, message):
    with pytest.raises(pabulib.PabulibError) as caught:
        pabulib.parse(change(SMALL))
    assert message in str(caught.value)
    assert caught.value.line == line


def test_cumulative_votes_need_points():
    text = (
        SMALL.replace("voter_id;vote;points;age", "voter_id;vote;age")
        .replace(";3,2;", ";")
        .replace(";5;", ";")
    )
    assert "points" not in text.split("VOTES")[1]
    with pytest.raises(pabulib.PabulibError, match="need a points column"):
        pabulib.parse(text)


def test_a_byte_order_mark_and_crlf_are_accepted():
    parsed = pabulib.parse("\ufeff" + SMALL.replace("\n", "\r\n"))
    assert list(parsed.projects) == ["b", "a"]
