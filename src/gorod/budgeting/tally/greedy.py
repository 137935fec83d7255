"""Greedy utilitarian welfare (pabutools `greedy_utilitarian_welfare` with an additive satisfaction):
projects by satisfaction per unit of cost, best first, ties by project id; each one that still fits
is funded, the others are skipped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from gorod.budgeting.tally.election import Election


def density(total_sat: int, cost: int) -> Fraction | float:
    """pabutools' satisfaction density: 0 without satisfaction, infinite for a free project."""
    if total_sat <= 0:
        return Fraction(0)
    if cost == 0:
        return math.inf
    return Fraction(total_sat, cost)


def greedy(
    election: Election,
    total_sat: Sequence[int] | np.ndarray,
    *,
    funded: Sequence[int] = (),
    skipped: dict[int, int] | None = None,
) -> list[int]:
    """Complete `funded` (project positions) greedily; `total_sat[j]` is project j's total
    satisfaction (for cost satisfaction: supporters × cost, so the density is the supporters).
    `skipped`, when given, receives what was left of the budget when each project that did not fit
    had its turn (scaled units), to explain why it was passed over."""
    costs = election.costs.tolist()
    sats = [int(s) for s in total_sat]
    rank = election.name_rank.tolist()
    chosen = set(funded)
    order = sorted(
        (j for j in range(election.n_projects) if j not in chosen),
        key=lambda j: (-density(sats[j], costs[j]), rank[j]),
    )
    remaining = election.budget - sum(costs[j] for j in funded)
    selection = list(funded)
    for j in order:
        if costs[j] <= remaining:
            selection.append(j)
            remaining -= costs[j]
        elif skipped is not None:
            skipped[j] = remaining
    return selection


def by_supporters(scores: np.ndarray, costs: np.ndarray) -> list[int]:
    """Total satisfaction under cost satisfaction when each supporter's score counts once per unit of
    cost: the density is then the score itself (pabutools `Cost_Sat`)."""
    return [int(s) * int(c) for s, c in zip(scores.tolist(), costs.tolist(), strict=True)]
