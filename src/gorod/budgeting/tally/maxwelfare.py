"""The utilitarian optimum (pabutools `max_additive_utilitarian_welfare` with `Cost_Sat`): the
allocation within budget with the largest sum over projects of supporters × cost.

An exact branch and bound over projects (never over voters), in integers: with cost satisfaction a
project's welfare per unit of cost is its number of supporters, so the fractional-knapsack bound is
an integer too and no rounding can prune the optimum.

Ties. pabutools 1.2.3 solves this with a primal/dual knapsack search over a Python set of projects,
so which of several optimal allocations it returns depends on the string hash seed; on an optimum
that is unique the results are identical. Gorod picks, deterministically: nothing if no project has a
supporter; every project with a positive cost if they all fit (pabutools does the same); otherwise,
among the optimal allocations of projects with supporters, the one that funds the first project in
tie-breaking order (project id) if any optimal allocation can, then the next, and so on. Projects
without supporters add no welfare and are then left out.
"""

from __future__ import annotations

import numpy as np

from gorod.budgeting.tally.election import Election


def max_welfare(election: Election) -> list[int]:
    costs = election.costs.tolist()
    counts = election.approvals.tolist()
    positive = [j for j in range(election.n_projects) if costs[j] > 0]
    if not any(counts[j] > 0 for j in positive):
        return []
    if sum(costs[j] for j in positive) <= election.budget:
        return _efficiency_order(positive, counts, election.name_rank)
    items = [j for j in positive if counts[j] > 0 and costs[j] <= election.budget]
    best = _optimum(items, costs, counts, election.budget)
    chosen = _first_optimal(items, costs, counts, election.budget, best, election.name_rank)
    return _efficiency_order(chosen, counts, election.name_rank)


def _efficiency_order(projects: list[int], counts: list[int], rank: np.ndarray) -> list[int]:
    return sorted(projects, key=lambda j: (-counts[j], int(rank[j])))


def _bound(order: list[int], start: int, capacity: int, costs: list[int], counts: list[int]) -> int:
    """Fractional-knapsack bound on the welfare of order[start:] within capacity (order: by supporters
    descending, so the last, partly taken item contributes capacity × its supporters)."""
    total = 0
    for j in order[start:]:
        if costs[j] <= capacity:
            capacity -= costs[j]
            total += costs[j] * counts[j]
        else:
            return total + capacity * counts[j]
    return total


def _optimum(items: list[int], costs: list[int], counts: list[int], budget: int) -> int:
    order = sorted(items, key=lambda j: -counts[j])
    best = 0
    # Depth-first, taking an item before leaving it; (position, capacity left, welfare so far).
    stack = [(0, budget, 0)]
    while stack:
        position, capacity, welfare = stack.pop()
        # Take every following item that fits while its density is the best left (greedy dive).
        while position < len(order):
            if welfare + _bound(order, position, capacity, costs, counts) <= best:
                break
            j = order[position]
            if costs[j] <= capacity:
                stack.append((position + 1, capacity, welfare))
                capacity -= costs[j]
                welfare += costs[j] * counts[j]
            position += 1
        best = max(best, welfare)
    return best


def _first_optimal(
    items: list[int], costs: list[int], counts: list[int], budget: int, best: int, rank: np.ndarray
) -> list[int]:
    """The optimal allocation preferring projects in tie-breaking order: decide each project in that
    order, funding it whenever an optimal allocation with the decisions so far still exists."""
    by_name = sorted(items, key=lambda j: int(rank[j]))
    chosen: list[int] = []
    capacity, welfare = budget, 0
    for position, j in enumerate(by_name):
        if welfare == best:
            break
        rest = sorted(by_name[position + 1 :], key=lambda k: -counts[k])
        if costs[j] <= capacity:
            gain = costs[j] * counts[j]
            if _reachable(rest, capacity - costs[j], costs, counts, best - welfare - gain):
                chosen.append(j)
                capacity -= costs[j]
                welfare += gain
    return chosen


def _reachable(order: list[int], capacity: int, costs: list[int], counts: list[int], target: int) -> bool:
    """Whether some subset of `order` (sorted by supporters descending) fits in capacity with welfare
    at least target."""
    if target <= 0:
        return True
    stack = [(0, capacity, 0)]
    while stack:
        position, cap, welfare = stack.pop()
        while position < len(order):
            if welfare + _bound(order, position, cap, costs, counts) < target:
                break
            j = order[position]
            if costs[j] <= cap:
                stack.append((position + 1, cap, welfare))
                cap -= costs[j]
                welfare += costs[j] * counts[j]
                if welfare >= target:
                    return True
            position += 1
    return False
