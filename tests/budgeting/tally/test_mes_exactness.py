"""MES keeps money in floats and re-decides exactly within mes.TOLERANCE; the float values must stay
far inside that margin of the exact ones (rebuilt here with fractions for every class and round)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from gorod.budgeting.tally import Election, mes, run
from tests.budgeting.tally.reference import reference


@pytest.mark.parametrize(
    ("name", "mode"),
    [
        ("Poland_Warszawa_2017_Bemowo", "unit"),
        ("Poland_Warszawa_2017_Bemowo", "cost"),
        ("Switzerland_Zurich_D10", "points"),
    ],
)
def test_float_money_stays_within_a_millionth_of_the_margin(elections, name, mode):
    election = elections[name]
    setup = mes.Setup.build(election, mode)
    worst = 0.0
    for added in (0, 40):
        result = mes.equal_shares(setup, election.budget + added * election.n_ballots)
        share = float(result.share)
        for c in range(result.n_classes):
            worst = max(worst, abs(float(result.exact_value(c)) - result.values[c]) / share)
        for i, record in enumerate(result.rounds):
            worst = max(worst, abs(float(result.round_rho(i)) - record.rho) / share)
    assert worst < mes.TOLERANCE * 1e-3


def test_exact_ties_in_later_rounds_go_to_the_first_id():
    # Shares of 10/3. Round 1: a, x and y all cost 2 per supporter; "a" wins the tie. Round 2: x
    # and y both cost exactly 8/3 per supporter (a voter left with 4/3 pays it all); "x" wins.
    election = Election.from_ballots(
        project_ids=["a", "y", "x"],
        costs=[4, 4, 4],
        budget=10,
        ballots=[["a", "x"], ["a", "y"], ["x", "y"]],
    )
    result = mes.equal_shares(mes.Setup.build(election, "unit"), election.budget)
    assert result.share == Fraction(10, 3)
    assert [result.round_rho(i) for i in range(len(result.rounds))] == [Fraction(2), Fraction(8, 3)]
    assert run("mes", election).funded == ["a", "x"] == reference("mes", election)
    assert run("mes-add1", election).funded == reference("mes-add1", election)
