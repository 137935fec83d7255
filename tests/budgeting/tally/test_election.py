"""Building elections: bad arrays are refused with a clear error; the representation stays small."""

from __future__ import annotations

import numpy as np
import pytest

from gorod.budgeting import pabulib
from gorod.budgeting.tally import Election, ElectionError, UnknownRule, election_from_pabulib, run

BASE = {"project_ids": ("a", "b"), "costs": np.array([1, 2]), "budget": 3, "kind": "approval"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "borda"}, "ballot kind"),
        ({"project_ids": ("a", "a")}, "unique"),
        ({"costs": np.array([1, -2])}, "non-negative"),
        ({"costs": np.array([1])}, "one non-negative integer per project"),
        ({"indptr": np.array([0, 3]), "indices": np.array([0, 1])}, r"indptr\[-1\]"),
        ({"indptr": np.array([1, 2]), "indices": np.array([0])}, "start at 0"),
        ({"indices": np.array([0, 2])}, "does not exist"),
        ({"indices": np.array([1, 1])}, "twice"),
        ({"kind": "cumulative"}, "need points"),
        ({"kind": "cumulative", "points": np.array([1, -1])}, "non-negative"),
        ({"weights": np.array([1, 2])}, "one non-negative integer per voter"),
        ({"budget": -1}, "budget"),
    ],
)
def test_bad_arrays_are_refused(changes, message):
    arguments = {**BASE, "indptr": np.array([0, 2]), "indices": np.array([0, 1]), **changes}
    with pytest.raises(ElectionError, match=message):
        Election(**arguments)


def test_unknown_projects_and_rules_are_refused():
    with pytest.raises(ElectionError, match="unknown project 'z'"):
        Election.from_ballots(project_ids=["a"], costs=[1], budget=1, ballots=[["z"]])
    election = Election.from_ballots(project_ids=["a"], costs=[1], budget=1, ballots=[["a"]])
    with pytest.raises(UnknownRule, match="unknown rule 'borda'"):
        run("borda", election)


def test_a_million_ballots_stay_small():
    n = 1_000_000
    indptr = np.arange(0, 3 * n + 1, 3, dtype=np.int64)
    indices = np.tile(np.array([0, 7, 149], dtype=np.int16), n)
    election = Election(
        project_ids=tuple(f"p{j}" for j in range(150)),
        costs=np.full(150, 10),
        budget=100,
        kind="approval",
        indptr=indptr,
        indices=indices,
    )
    assert election.indices.dtype == np.int16
    assert election.indices.nbytes + election.indptr.nbytes < 16 * 2**20
    assert election.approvals[[0, 7, 149, 1]].tolist() == [n, n, n, 0]


def test_ordinal_files_score_by_position(elections):
    krakow = elections["Poland_Krakow_2018_Swoszowice"]
    assert krakow.kind == "ordinal" and krakow.rank_length == 3
    assert krakow.positional_points[:3].tolist() == [3, 2, 1]


def test_scoring_votes_are_tallied_like_cumulative():
    text = (
        "META\nkey;value\nbudget;5\nvote_type;scoring\nPROJECTS\nproject_id;cost\na;3\nb;3\n"
        "VOTES\nvoter_id;vote;points\n1;a,b;1,5\n"
    )
    election = election_from_pabulib(pabulib.parse(text))
    assert election.kind == "cumulative"
    assert run("greedy", election).funded == ["b"]
