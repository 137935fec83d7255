"""The tally rules as the issue defines them, computed by pabutools (the reference; a test and bench
dependency only). `reference(rule, election)` returns the funded project ids in pabutools' order.

`python -m tests.budgeting.tally.reference` stores the outcomes that take pabutools over a second on
the shared Pabulib files (mes-add1 on Bemowo takes it a minute): `stored_reference` reads one back
only while its fingerprint — pabutools' version, this file and the exact input pabutools receives —
is unchanged, and otherwise asks pabutools again, so a stored outcome is never stale."""

from __future__ import annotations

import hashlib
import inspect
import json
import time
from fractions import Fraction
from functools import cache
from importlib.metadata import version

from pabutools.election import (
    Additive_Cardinal_Sat,
    ApprovalBallot,
    ApprovalProfile,
    Cardinality_Sat,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
    Project,
)
from pabutools.election.satisfaction import AdditiveSatisfaction
from pabutools.fractions import frac
from pabutools.rules import (
    completion_by_rule_combination,
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    max_additive_utilitarian_welfare,
    method_of_equal_shares,
    sequential_phragmen,
)

from gorod.budgeting import pabulib
from gorod.budgeting.tally import RULES, Election, election_from_pabulib
from tests.pabulib_files import PABULIB_DIR

STORED = PABULIB_DIR / "reference_outcomes.json"
SLOW_S = 1.0


def _points_times_cost(instance, profile, ballot, project, precomputed_values):
    # Greedy "by total points": satisfaction points × cost makes the density the total points.
    return ballot.get(project, 0) * project.cost


class PointsCostSat(AdditiveSatisfaction):
    def __init__(self, instance, profile, ballot):
        AdditiveSatisfaction.__init__(self, instance, profile, ballot, _points_times_cost)


def instance_of(election: Election) -> tuple[Instance, list[Project]]:
    projects = [
        Project(pid, frac(int(c), election.scale))
        for pid, c in zip(election.project_ids, election.costs, strict=True)
    ]
    return Instance(projects, budget_limit=frac(election.budget, election.scale)), projects


def ballots_of(election: Election) -> list[tuple[list[int], list[int]]]:
    """(projects, points) per ballot, repeated by weight; ordinal ballots get positional points."""
    points = election.points if election.points is not None else election.positional_points
    out = []
    for i in range(election.n_voters):
        lo, hi = int(election.indptr[i]), int(election.indptr[i + 1])
        row = [int(j) for j in election.indices[lo:hi]]
        pts = [int(p) for p in points[lo:hi]] if points is not None else [1] * len(row)
        times = int(election.weights[i]) if election.weights is not None else 1
        out.extend([(row, pts)] * times)
    return out


def profiles(election: Election):
    instance, projects = instance_of(election)
    rows = ballots_of(election)
    approval = ApprovalProfile(
        [ApprovalBallot(projects[j] for j in row) for row, _ in rows], instance=instance
    )
    scored = CumulativeProfile(
        [
            CumulativeBallot({projects[j]: frac(p) for j, p in zip(row, pts, strict=True)})
            for row, pts in rows
        ],
        instance=instance,
    )
    return instance, approval, scored


def reference(rule: str, election: Election) -> list[str]:
    instance, approval, scored = profiles(election)
    cardinal = election.kind == "cumulative"
    # Ordinal ballots are approvals of the ranked projects for every rule but greedy.
    profile = scored if cardinal else approval
    sat = Additive_Cardinal_Sat if cardinal else Cardinality_Sat
    if rule == "greedy":
        if election.kind == "approval":
            result = greedy_utilitarian_welfare(instance, approval, sat_class=Cost_Sat)
        else:
            result = greedy_utilitarian_welfare(instance, scored, sat_class=PointsCostSat)
    elif rule == "greedy-cost":
        result = greedy_utilitarian_welfare(instance, profile, sat_class=sat)
    elif rule == "max-welfare":
        if not any(p.cost > 0 for p in instance):
            # pabutools 1.2.3 raises IndexError on a knapsack without items; free projects give no
            # cost satisfaction, so it would fund nothing.
            return []
        result = max_additive_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    elif rule == "phragmen":
        result = sequential_phragmen(instance, approval)
    elif rule == "mes":
        result = method_of_equal_shares(instance, profile, sat_class=sat)
    elif rule == "mes-cost":
        result = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    elif rule == "mes-add1":
        result = completion_by_rule_combination(
            instance,
            profile,
            [exhaustion_by_budget_increase, greedy_utilitarian_welfare],
            [
                {
                    "rule": method_of_equal_shares,
                    "rule_params": {"sat_class": sat},
                    "budget_step": profile.num_ballots(),
                },
                {"sat_class": sat},
            ],
        )
    else:
        raise ValueError(rule)
    return [p.name for p in result]


_CALLS_PABUTOOLS = (instance_of, ballots_of, profiles, reference)


def welfare(election: Election, funded: list[str]) -> Fraction:
    """Total Cost_Sat welfare (supporters × cost) of an allocation."""
    position = {pid: j for j, pid in enumerate(election.project_ids)}
    return sum(
        (
            Fraction(int(election.approvals[position[p]]) * int(election.costs[position[p]]), election.scale)
            for p in funded
        ),
        Fraction(0),
    )


def fingerprint(rule: str, election: Election) -> str:
    """Everything pabutools' answer depends on: its version, the code above that calls it, the input."""
    code = "".join(inspect.getsource(f) for f in (_points_times_cost, PointsCostSat, *_CALLS_PABUTOOLS))
    given = (
        rule,
        election.kind,
        election.project_ids,
        election.costs.tolist(),
        election.budget,
        election.scale,
    )
    text = f"{version('pabutools')}\n{code}\n{given!r}\n{ballots_of(election)!r}\n"
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def _stored() -> dict:
    return json.loads(STORED.read_text(encoding="utf-8")) if STORED.exists() else {}


def stored_reference(name: str, rule: str, election: Election) -> list[str]:
    entry = _stored().get(f"{name} {rule}")
    if entry and entry["fingerprint"] == fingerprint(rule, election):
        return entry["funded"]
    return reference(rule, election)


def main() -> None:
    stored = {}
    for path in sorted(PABULIB_DIR.glob("*.pb")):
        election = election_from_pabulib(pabulib.load(path))
        for rule in RULES:
            started = time.process_time()
            funded = reference(rule, election)
            if time.process_time() - started > SLOW_S:
                stored[f"{path.stem} {rule}"] = {"fingerprint": fingerprint(rule, election), "funded": funded}
    lines = [f"{json.dumps(key)}: {json.dumps(entry, ensure_ascii=False)}" for key, entry in stored.items()]
    STORED.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"{STORED}: {', '.join(stored) or 'nothing slow'}")


if __name__ == "__main__":
    main()
