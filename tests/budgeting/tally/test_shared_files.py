"""Every rule on every shared Pabulib file equals pabutools' outcome (the issue's definitions).

pabutools takes a minute for mes-add1 on Warszawa Bemowo (4,197 voters; ~140 runs of MES with growing
shares) and seconds for mes-add1 on two other files; those outcomes are stored (see reference.py)."""

from __future__ import annotations

import pytest

from gorod.budgeting import pabulib
from gorod.budgeting.tally import RULES, run
from tests.budgeting.tally.conftest import FILES, SHARED
from tests.budgeting.tally.reference import stored_reference, welfare

# pabutools returns Phragmén's allocation sorted by name, and max-welfare's in set order.
UNORDERED = {"phragmen", "max-welfare"}


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("name", [p.stem for p in FILES])
def test_rule_equals_pabutools(elections, name, rule):
    election = elections[name]
    ours = run(rule, election)
    expected = stored_reference(name, rule, election)
    if rule in UNORDERED:
        assert sorted(ours.funded) == sorted(expected)
    else:
        assert ours.funded == expected
    if rule == "max-welfare":
        assert welfare(election, ours.funded) == welfare(election, expected)
    assert ours.total_cost == sum(pabulib.load(SHARED / f"{name}.pb").projects[p].cost for p in ours.funded)
    assert 0 < ours.details["voters_with_funded"] <= election.n_ballots


def test_greedy_reproduces_the_selected_column_of_bemowo(elections):
    parsed = pabulib.load(SHARED / "Poland_Warszawa_2017_Bemowo.pb")
    assert parsed.meta["rule"] == "greedy" and parsed.vote_type == "approval"
    selected = {pid for pid, p in parsed.projects.items() if p.fields["selected"] == "1"}
    assert set(run("greedy", elections["Poland_Warszawa_2017_Bemowo"]).funded) == selected


@pytest.mark.parametrize(
    "path", [p for p in FILES if "score" in pabulib.load(p).project_columns], ids=lambda p: p.stem
)
def test_total_points_equal_the_files_score_column(elections, path):
    parsed = pabulib.load(path)
    election = elections[path.stem]
    scores = dict(zip(election.project_ids, election.total_points.tolist(), strict=True))
    assert scores == {pid: int(p.fields["score"]) for pid, p in parsed.projects.items()}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_votes_column_equals_the_supporters(elections, path):
    parsed = pabulib.load(path)
    counts = dict(zip(elections[path.stem].project_ids, elections[path.stem].approvals.tolist(), strict=True))
    assert counts == {pid: int(p.fields["votes"]) for pid, p in parsed.projects.items()}


def test_mes_explains_every_project(elections):
    election = elections["Poland_Warszawa_2017_Bemowo"]
    outcome = run("mes", election)
    mes = outcome.details["mes"]
    assert set(mes) == set(election.project_ids)
    funded = [pid for pid, e in mes.items() if e["funded"]]
    assert sorted(funded) == sorted(outcome.funded)
    for pid, entry in mes.items():
        if entry["funded"]:
            assert entry["round"] == outcome.funded.index(pid) + 1
            assert entry["available"] >= entry["cost"] - 1e-6
            assert entry["price"] > 0
        else:
            # MES stops only when no supporters can pay: "supporters had X left, cost Y".
            assert entry["round"] is None and entry["available"] < entry["cost"]
    share = outcome.details["share"]
    assert share == pytest.approx(725000 / 4197)
    assert outcome.details["voters_with_funded"] == 3152


def test_mes_add1_marks_the_completion(elections):
    outcome = run("mes-add1", elections["Poland_Krakow_2018_Swoszowice"])
    stages = {pid: e["stage"] for pid, e in outcome.details["mes"].items() if e["funded"]}
    assert set(stages) == set(outcome.funded)
    assert set(stages.values()) <= {"mes", "completion"}
    assert outcome.details["added_per_voter"] >= 0
