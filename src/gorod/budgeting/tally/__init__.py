"""Participatory-budgeting tallies in numpy, equal to pabutools 1.2.3 (the reference, a test
dependency only; nothing here imports it).

API::

    from gorod.budgeting.tally import Election, Outcome, RULES, run, election_from_pabulib

    election = Election.from_ballots(
        project_ids=["a", "b", "c"], costs=[100, 250, Decimal("50.5")], budget=300,
        ballots=[["a", "b"], ["c"], []], kind="approval",  # or "cumulative" (+ points=) / "ordinal"
        weights=None,                                      # optional: each ballot counted n times
    )
    election = Election.from_matrix(project_ids=..., costs=..., budget=..., matrix=bool/points/ranks)
    election = election_from_pabulib(gorod.budgeting.pabulib.load(path))
    outcome = run("mes-add1", election)   # rule in RULES, else UnknownRule (a ValueError)
    outcome.funded          # project ids in the order the rule funded them
    outcome.total_cost      # int, or Decimal when costs have decimals
    outcome.seconds         # wall time of the tally
    outcome.details["voters_with_funded"]  # voters (weighted) with at least one funded project
    outcome.details["voters"]
    outcome.details["share"]               # MES rules: each voter's equal share (mes-add1: raised)
    outcome.details["left_after_mes"]      # MES rules: what the equal shares left of the budget
    outcome.details["mes"][project_id]     # MES rules only, amounts in currency units:
        # {"funded": bool, "stage": "mes" | "free" | "completion" | None, "round": int | None,
        #  "cost": float, "supporters": int, "available": float, "price": float (funded in a round),
        #  "spent": float, "spent_on": [[project_id, float], ...], "budget_left": float (not funded)}
        # funded in round r: its supporters had `available` before paying and paid at most `price`
        # each per unit of satisfaction; otherwise: its supporters had `available` left when MES
        # ended, less than `cost` ("supporters had X left, cost Y"), having spent `spent` of their
        # shares, most on the `spent_on` projects; a project the mes-add1 completion passed over
        # had `budget_left` of the budget at its turn, less than its cost.
    outcome.as_json()       # {"rule", "funded", "total_cost", "seconds"}

Rules (pabutools function and satisfaction; ordinal ballots count as approval of the ranked
projects for every rule but greedy; cumulative ballots approve the projects they list):

* greedy — greedy_utilitarian_welfare, Cost_Sat: by supporters, skipping what does not fit;
  cumulative ballots by total points, ordinal by positional points (rank_length for a first choice,
  one less for each next: the `score` column of Pabulib files such as Kraków's).
* greedy-cost — greedy_utilitarian_welfare, Cardinality_Sat (cumulative: Additive_Cardinal_Sat).
* max-welfare — max_additive_utilitarian_welfare, Cost_Sat (see maxwelfare.py for ties).
* phragmen — sequential_phragmen.
* mes — method_of_equal_shares, Cardinality_Sat (cumulative: Additive_Cardinal_Sat).
* mes-cost — method_of_equal_shares, Cost_Sat.
* mes-add1 — mes inside exhaustion_by_budget_increase (budget_step = number of voters: every share
  one currency unit larger per step), then greedy_utilitarian_welfare with the same satisfaction for
  what is left (completion_by_rule_combination). With no ballots (where pabutools would loop forever
  on a zero step) it is the greedy completion alone.

Ties are broken by project id (pabutools' lexicographic tie-breaking by project name). Decisions
that pabutools takes with exact fractions are taken exactly here too (integers, or floats with an
exact re-check of every near-tie). Free projects with supporters that MES funds before its rounds are
listed first, in project-id order (pabutools lists them in set order).
"""

from gorod.budgeting.tally.election import Election, ElectionError, election_from_pabulib
from gorod.budgeting.tally.rules import RULES, Outcome, UnknownRule, run

__all__ = ["RULES", "Election", "ElectionError", "Outcome", "UnknownRule", "election_from_pabulib", "run"]
