"""Sequential Phragmén (pabutools `sequential_phragmen`): voters earn money continuously; the first
project whose supporters can pay for it is bought, its cost spread so all its supporters end with the
same load. The rule stops as soon as the next project to buy (or one tied with it) does not fit.

Every voter's load is the load set in the last round that bought a project they approve, so loads
are kept as one round number per voter, and M[project, round] counts (with weights) the supporters
of each project whose load comes from each round. A project's next load is then
(M[project] · loads + cost) / supporters, computed in floats for all projects and again in exact
fractions for the few within rounding distance of the smallest, so ties and near-ties are decided
exactly as pabutools' rational arithmetic decides them.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from gorod.budgeting.tally.election import Election

# Relative distance under which two float loads may be equal in exact arithmetic.
TOLERANCE = 1e-9


def _entries_of(election: Election, voters: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in `indices` of every ballot entry of `voters`, and each entry's voter."""
    starts = election.indptr[voters]
    lengths = election.indptr[voters + 1] - starts
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    positions = offsets + np.arange(int(lengths.sum()), dtype=np.int64)
    return positions, np.repeat(voters, lengths)


def phragmen(election: Election) -> tuple[list[int], dict]:
    n_projects = election.n_projects
    costs = election.costs
    counts = election.approvals
    rank = election.name_rank
    sup_indptr, sup_voters, _ = election.supporters
    remaining = [j for j in range(n_projects) if costs[j] <= election.budget]
    # Column 0 is "no load yet"; at most one column per bought project.
    matrix = np.zeros((n_projects, n_projects + 2), dtype=np.int64)
    matrix[:, 0] = counts
    loads: list[Fraction] = [Fraction(0)]
    loads_f = np.zeros(n_projects + 2)
    last_round = np.zeros(election.n_voters, dtype=np.int32)
    spent = 0
    selection: list[int] = []
    while remaining:
        rem = np.asarray(remaining)
        rounds = len(loads)
        with np.errstate(divide="ignore", invalid="ignore"):
            new_f = np.where(
                counts[rem] > 0, (matrix[rem, :rounds] @ loads_f[:rounds] + costs[rem]) / counts[rem], np.inf
            )
        low = float(new_f.min())
        tied: list[int]
        value: Fraction | float
        if math.isinf(low):
            tied = [int(j) for j in rem]
            value = math.inf
        else:
            close = rem[new_f <= low + TOLERANCE * abs(low)]
            exact = {
                int(j): (sum(int(matrix[j, r]) * loads[r] for r in range(rounds)) + int(costs[j]))
                / int(counts[j])
                for j in close
            }
            value = min(exact.values())
            tied = [j for j, v in exact.items() if v == value]
        if any(spent + int(costs[j]) > election.budget for j in tied):
            break
        chosen = min(tied, key=lambda j: int(rank[j]))
        selection.append(chosen)
        spent += int(costs[chosen])
        remaining.remove(chosen)
        if isinstance(value, Fraction):
            voters = sup_voters[sup_indptr[chosen] : sup_indptr[chosen + 1]]
            _raise_loads(election, matrix, last_round, voters, len(loads))
            loads.append(value)
            loads_f[len(loads) - 1] = float(value)
    return selection, {"max_load": float(loads[-1]) / election.scale}


def _raise_loads(
    election: Election, matrix: np.ndarray, last_round: np.ndarray, voters: np.ndarray, new_round: int
) -> None:
    """Move `voters` (the supporters of the project just bought) to the load of `new_round`."""
    positions, owners = _entries_of(election, voters)
    projects = election.indices[positions].astype(np.int64)
    width = matrix.shape[1]
    size = matrix.size
    old = projects * width + last_round[owners]
    new = projects * width + new_round
    if election.weights is None:
        change = np.bincount(new, minlength=size) - np.bincount(old, minlength=size)
    else:
        weights = election.weights[owners]
        change = np.zeros(size, dtype=np.int64)
        np.add.at(change, new, weights)
        np.subtract.at(change, old, weights)
    matrix += change.reshape(matrix.shape)
    last_round[voters] = new_round
