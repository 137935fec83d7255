"""`run(rule, election)`: the rules by name, with the satisfaction the issue assigns to each rule and
ballot kind, and the explanations the results page shows."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from gorod.budgeting.tally import mes
from gorod.budgeting.tally.election import Election
from gorod.budgeting.tally.greedy import by_supporters, greedy
from gorod.budgeting.tally.maxwelfare import max_welfare
from gorod.budgeting.tally.phragmen import phragmen

RULES = ("greedy", "greedy-cost", "max-welfare", "phragmen", "mes", "mes-cost", "mes-add1")


class UnknownRule(ValueError):
    def __init__(self, rule: str) -> None:
        super().__init__(f"unknown rule {rule!r}; rules: {', '.join(RULES)}")
        self.rule = rule


@dataclass
class Outcome:
    rule: str
    funded: list[str]
    total_cost: int | Decimal
    seconds: float
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The JSON `gorod pb_tally --json` prints (costs as numbers)."""
        cost = self.total_cost
        return {
            "rule": self.rule,
            "funded": self.funded,
            "total_cost": int(cost) if int(cost) == cost else float(cost),
            "seconds": round(self.seconds, 6),
        }


def _mes_mode(election: Election) -> str:
    return "points" if election.kind == "cumulative" else "unit"


def _cardinal_sat(election: Election) -> np.ndarray:
    """Total satisfaction per project under Cardinality_Sat, or Additive_Cardinal_Sat for points."""
    return election.total_points if election.kind == "cumulative" else election.approvals


def run(rule: str, election: Election) -> Outcome:
    """Tally `election` with `rule` (one of RULES)."""
    if rule not in RULES:
        raise UnknownRule(rule)
    start = time.perf_counter()
    details: dict[str, Any] = {}
    if rule == "greedy":
        # By supporters (Cost_Sat); cumulative and ordinal ballots by their total points.
        selection = greedy(election, by_supporters(election.total_points, election.costs))
    elif rule == "greedy-cost":
        selection = greedy(election, _cardinal_sat(election))
    elif rule == "max-welfare":
        selection = max_welfare(election)
    elif rule == "phragmen":
        selection, details = phragmen(election)
    else:
        mode = "cost" if rule == "mes-cost" else _mes_mode(election)
        setup = mes.Setup.build(election, mode)
        added = 0
        if rule == "mes-add1" and election.n_ballots:
            kept, added = mes.add1(setup)
            result = kept if kept is not None else mes.Run(setup, Fraction(0))
        else:
            result = mes.equal_shares(setup, election.budget)
        selection = list(result.selection)
        completion: list[int] = []
        skipped: dict[int, int] = {}
        if rule == "mes-add1" and not mes.is_exhaustive(election, selection):
            completed = greedy(election, _cardinal_sat(election), funded=selection, skipped=skipped)
            completion = completed[len(selection) :]
            selection = completed
        mes_cost = int(election.costs[result.selection].sum()) if result.selection else 0
        details = {
            "satisfaction": {"unit": "cardinality", "cost": "cost", "points": "points"}[mode],
            "share": float(result.share) / election.scale,
            "added_per_voter": added,
            "rounds": len(result.rounds),
            # What the equal shares left of the budget, for the completion (mes-add1) or unspent.
            "left_after_mes": (election.budget - mes_cost) / election.scale,
            "mes": explain_mes(result, completion, skipped),
        }
    seconds = time.perf_counter() - start
    funded = np.zeros(election.n_projects, dtype=bool)
    funded[selection] = True
    details["voters_with_funded"] = election.funded_voters(funded)
    details["voters"] = election.n_ballots
    return Outcome(
        rule=rule,
        funded=[election.project_ids[j] for j in selection],
        total_cost=election.amount(int(election.costs[selection].sum()) if selection else 0),
        seconds=seconds,
        details=details,
    )


SPENT_ON = 3  # the projects named as where a losing project's supporters' money went
# The losing projects with the most supporters whose supporters' payments are traced round by round (the
# results page explains the popular ones); the trace costs a pass over their supporters per round.
TRACED = 10


def explain_mes(
    result: mes.Run, completion: list[int], skipped: dict[int, int] | None = None
) -> dict[str, dict[str, Any]]:
    """Why each project was or was not funded, in currency units: for a project funded in round r,
    what its supporters had before paying and the most one supporter paid per unit of satisfaction;
    for the others, what their supporters had left when MES ended (it ends when no project's
    supporters can pay for it), against the cost, and where the rest of their shares went: `spent` in
    all, and `spent_on`, the SPENT_ON funded projects they paid most for ([project id, amount], most
    first; for the TRACED losing projects with the most supporters). Voters pay only for projects they
    voted for, so that money went to projects they backed.
    A project the completion (mes-add1) passed over has `budget_left`: what was left of the budget when
    its turn came, less than its cost."""
    setup = result.setup
    election = setup.election
    scale = election.scale
    supporters = [int(len(v) if setup.weights is None else w.sum()) for v, w in _pairs(setup)]
    rounds = {record.project: (i, record) for i, record in enumerate(result.rounds)}
    unfunded = [j for j in range(election.n_projects) if j not in result.selection and j not in completion]
    traced = sorted(unfunded, key=lambda j: (-supporters[j], int(election.name_rank[j])))[:TRACED]
    paid = dict(zip(traced, result.supporters_paid(traced), strict=True))
    share = float(result.share)
    explanation: dict[str, dict[str, Any]] = {}
    for j, project_id in enumerate(election.project_ids):
        cost = int(election.costs[j])
        entry: dict[str, Any] = {"cost": cost / scale, "supporters": supporters[j]}
        if j in rounds:
            index, record = rounds[j]
            entry |= {
                "funded": True,
                "stage": "mes",
                "round": index + 1,
                "available": record.available / scale,
            }
            entry["price"] = record.rho / scale
        elif j in setup.free and j in result.selection:
            entry |= {"funded": True, "stage": "free", "round": 0, "available": 0.0}
        else:
            left = result.money_of_supporters(j) if len(setup.voters[j]) else 0.0
            entry |= {"funded": j in completion, "round": None, "available": left / scale}
            entry["stage"] = "completion" if j in completion else None
            entry["spent"] = max(supporters[j] * share - left, 0.0) / scale
            if j in paid:
                went = paid[j]
                top = [r for r in np.argsort(-went, kind="stable")[:SPENT_ON] if went[r] > 0]
                entry["spent_on"] = [
                    [election.project_ids[result.rounds[r].project], float(went[r]) / scale] for r in top
                ]
            if skipped and j in skipped:
                entry["budget_left"] = skipped[j] / scale
        explanation[project_id] = entry
    return explanation


def _pairs(setup: mes.Setup) -> list[tuple[np.ndarray, np.ndarray]]:
    weights = setup.weights or [np.empty(0, np.int64)] * len(setup.voters)
    return list(zip(setup.voters, weights, strict=True))
