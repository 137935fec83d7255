"""What the tally reports about projects that were not funded, for the results page to put in plain
words: the money their supporters had left against the cost, where the rest of their shares went, and
(mes-add1) what was left of the budget when the completion came to them. Small elections made by hand."""

from __future__ import annotations

import pytest

from gorod.budgeting.tally import Election, mes, run
from tests.budgeting.tally.conftest import FILES


def election(costs, budget, groups):
    ballots = [ballot for n, ballot in groups for _i in range(n)]
    ids = [str(i) for i in range(1, len(costs) + 1)]
    return Election.from_ballots(
        project_ids=ids, costs=costs, budget=budget, ballots=ballots, kind="approval"
    )


# 14 voters, 1000 to spend. Project 3 has the most votes (9), but 5 of its voters also want 1, and 4 also
# want 2: their shares pay for those first.
PLAYGROUND = election([300, 300, 600, 200], 1000, [(5, ["1", "3"]), (4, ["2", "3"]), (3, ["4"]), (2, ["1"])])


@pytest.mark.parametrize("rule", ["mes", "mes-add1"])
def test_a_losing_projects_supporters_spent_their_shares_on_projects_they_also_backed(rule):
    outcome = run(rule, PLAYGROUND)
    assert "3" not in outcome.funded
    share = outcome.details["share"]
    lost = outcome.details["mes"]["3"]
    assert lost["supporters"] == 9
    assert lost["available"] < lost["cost"] == 600
    # Their shares are all accounted for: what they spent plus what they had left.
    assert lost["spent"] + lost["available"] == pytest.approx(9 * share)
    assert sum(amount for _code, amount in lost["spent_on"]) == pytest.approx(lost["spent"])
    assert {code for code, _amount in lost["spent_on"]} <= set(outcome.funded) - {"3"}


def test_the_completed_rule_names_where_the_popular_projects_money_went():
    outcome = run("mes-add1", PLAYGROUND)
    assert outcome.funded == ["1", "4", "2"] and outcome.total_cost == 800
    assert outcome.details["share"] == pytest.approx(1000 / 14 + 4)  # raised by 4 a voter
    lost = outcome.details["mes"]["3"]
    assert lost["spent_on"] == [["2", pytest.approx(300)], ["1", pytest.approx(1500 / 7)]]
    assert lost["available"] == pytest.approx(9 * (1000 / 14 + 4) - 300 - 1500 / 7)
    assert outcome.details["left_after_mes"] == 200


def test_plain_mes_leaves_money_that_a_project_would_fit_in():
    outcome = run("mes", PLAYGROUND)
    assert outcome.funded == ["1", "4"] and outcome.details["left_after_mes"] == 500
    # Project 2 would fit in the 500 left, but its 4 supporters' shares come to less than its cost.
    two = outcome.details["mes"]["2"]
    assert two["spent"] == 0 and two["spent_on"] == []
    assert two["available"] == pytest.approx(4 * 1000 / 14) and two["available"] < 300


def test_the_completion_says_what_was_left_when_it_came_to_a_project():
    # MES funds 2 and 3 (their voters agree); the completion adds 4, which fits in the 300 left; 1
    # (600) did not fit in those 300, and 5 came after 4 had taken them.
    tally = run(
        "mes-add1",
        election(
            [600, 200, 200, 300, 600],
            700,
            [(1, ["1"]), (2, ["2", "3"]), (1, ["1", "2", "3", "4", "5"])],
        ),
    )
    assert tally.funded == ["2", "3", "4"]
    assert tally.details["left_after_mes"] == 300
    explained = tally.details["mes"]
    assert explained["4"]["stage"] == "completion"
    assert explained["1"]["budget_left"] == 300 and explained["5"]["budget_left"] == 0
    assert "budget_left" not in explained["2"]


@pytest.mark.parametrize("mode", ["unit", "cost", "points"])
@pytest.mark.parametrize("name", [p.stem for p in FILES])
def test_the_replayed_payments_agree_with_the_count_on_real_files(elections, name, mode):
    """On the shared Pabulib files (approval, cumulative and ordinal, some with weighted voters): the
    payments replayed voter by voter for an explanation add up, for every project's supporters, to the
    shares they started with less what MES's own bookkeeping says they kept."""
    election = elections[name]
    if mode == "points" and election.kind != "cumulative":
        pytest.skip("points satisfaction is for cumulative ballots")
    setup = mes.Setup.build(election, mode)
    result = mes.equal_shares(setup, election.budget)
    projects = [j for j in range(election.n_projects) if len(setup.voters[j])]
    paid = result.supporters_paid(projects)
    for k, j in enumerate(projects):
        supporters = len(setup.voters[j]) if setup.weights is None else int(setup.weights[j].sum())
        kept = result.money_of_supporters(j)
        assert paid[k].sum() == pytest.approx(supporters * float(result.share) - kept, rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("name", [p.stem for p in FILES])
def test_popular_losing_projects_name_where_their_supporters_money_went(elections, name):
    outcome = run("mes-add1", elections[name])
    for entry in outcome.details["mes"].values():
        if entry["funded"] or not entry["supporters"]:
            continue
        assert entry["spent"] + entry["available"] == pytest.approx(
            entry["supporters"] * outcome.details["share"], rel=1e-6
        )
        if "spent_on" in entry:
            assert sum(a for _c, a in entry["spent_on"]) <= entry["spent"] * (1 + 1e-6) + 1e-6
