"""The election a tally runs on: projects, costs, budget and the ballots as a compressed sparse row
matrix (one row per voter, the projects it lists in ballot order), so a million voters with a few
projects each take tens of megabytes, not a dense voters × projects table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from gorod.budgeting.pabulib import PabulibFile

KINDS = ("approval", "cumulative", "ordinal")
# Pabulib vote types and the ballot kind a tally treats them as.
PABULIB_KINDS = {
    "approval": "approval",
    "choose-1": "approval",
    "cumulative": "cumulative",
    "scoring": "cumulative",
    "ordinal": "ordinal",
}


class ElectionError(ValueError):
    """The arrays do not describe an election (shapes, ranges, duplicates)."""


def scale_amounts(
    costs: Sequence[int | Decimal | str], budget: int | Decimal | str
) -> tuple[np.ndarray, int, int]:
    """Costs and budget as int64 in the smallest unit that keeps them exact: (costs, budget, scale)
    with amount = value / scale. "400000.0" needs no scaling; "0.5" gives scale 10."""
    values = [Decimal(str(c)) for c in costs]
    total = Decimal(str(budget))
    for value in [*values, total]:
        if not value.is_finite() or value < 0:
            raise ElectionError(f"amount {value} must be a non-negative number")
    exponent = min([0, *(int(v.normalize().as_tuple().exponent) for v in [*values, total])])
    scale = 10**-exponent
    scaled = [int(v * scale) for v in values]
    if any(s >= 2**62 for s in scaled):
        raise ElectionError("a cost is too large")
    return np.asarray(scaled, dtype=np.int64).reshape(len(scaled)), int(total * scale), scale


@dataclass(frozen=True, eq=False)
class Election:
    """Projects `project_ids[j]` cost `costs[j] / scale` currency units; the budget is `budget / scale`.

    Ballot i lists `indices[indptr[i]:indptr[i + 1]]` (project positions; best first for ordinal
    ballots) with `points[...]` for cumulative ballots; `weights[i]` counts it that many times
    (None: once each). Ties are broken by project id, as pabutools breaks them by project name."""

    project_ids: tuple[str, ...]
    costs: np.ndarray
    budget: int
    kind: str
    indptr: np.ndarray
    indices: np.ndarray
    points: np.ndarray | None = None
    weights: np.ndarray | None = None
    scale: int = 1
    # Ordinal ballots: the first of a ballot scores rank_length points, the next one less, and so on
    # (Kraków's 3-2-1); None: the longest ballot's length.
    rank_length: int | None = None

    def __post_init__(self) -> None:
        n_projects = len(self.project_ids)
        if self.kind not in KINDS:
            raise ElectionError(f"ballot kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if len(set(self.project_ids)) != n_projects:
            raise ElectionError("project ids must be unique")
        costs = np.asarray(self.costs, dtype=np.int64)
        if costs.shape != (n_projects,) or (costs < 0).any():
            raise ElectionError("costs must be one non-negative integer per project")
        if self.budget < 0 or self.scale < 1:
            raise ElectionError("the budget must be non-negative and the scale at least 1")
        indptr = np.asarray(self.indptr, dtype=np.int64)
        indices = np.asarray(self.indices, dtype=np.int32 if n_projects > 32767 else np.int16)
        if indptr.ndim != 1 or len(indptr) < 1 or indptr[0] != 0 or (np.diff(indptr) < 0).any():
            raise ElectionError("indptr must start at 0 and never decrease")
        if indices.shape != (int(indptr[-1]),):
            raise ElectionError("indices must have indptr[-1] entries")
        if len(indices) and (int(indices.min()) < 0 or int(indices.max()) >= n_projects):
            raise ElectionError("a ballot names a project that does not exist")
        object.__setattr__(self, "costs", costs)
        object.__setattr__(self, "indptr", indptr)
        object.__setattr__(self, "indices", indices)
        if self.kind == "cumulative":
            if self.points is None:
                raise ElectionError("cumulative ballots need points")
            points = np.asarray(self.points, dtype=np.int64)
            if points.shape != indices.shape or (points < 0).any():
                raise ElectionError("points must be one non-negative integer per ballot entry")
            object.__setattr__(self, "points", points)
        else:
            object.__setattr__(self, "points", None)
        if self.weights is not None:
            weights = np.asarray(self.weights, dtype=np.int64)
            if weights.shape != (self.n_voters,) or (weights < 0).any():
                raise ElectionError("weights must be one non-negative integer per voter")
            object.__setattr__(self, "weights", weights)
        if len(indices):
            # A project twice in one ballot would count twice; pabutools' ballots are sets.
            key = self.voter_of_entry.astype(np.int64) * n_projects + indices.astype(np.int64)
            if self.kind == "ordinal" or not (np.diff(key) > 0).all():
                key = np.sort(key)
            if (np.diff(key) == 0).any():
                raise ElectionError("a ballot lists a project twice")

    # --- sizes ------------------------------------------------------------------------------------
    @property
    def n_voters(self) -> int:
        return len(self.indptr) - 1

    @property
    def n_projects(self) -> int:
        return len(self.project_ids)

    @cached_property
    def n_ballots(self) -> int:
        """Voters counted with their weights (pabutools' num_ballots)."""
        return int(self.weights.sum()) if self.weights is not None else self.n_voters

    # --- derived arrays, computed once --------------------------------------------------------------
    @cached_property
    def voter_of_entry(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_voters, dtype=np.int32), np.diff(self.indptr))

    @cached_property
    def entry_weights(self) -> np.ndarray | None:
        return None if self.weights is None else self.weights[self.voter_of_entry]

    @cached_property
    def name_rank(self) -> np.ndarray:
        """Position of each project in the tie-breaking order (by project id, as strings)."""
        order = sorted(range(self.n_projects), key=self.project_ids.__getitem__)
        rank = np.empty(self.n_projects, dtype=np.int64)
        rank[order] = np.arange(self.n_projects)
        return rank

    def _per_project(self, values: np.ndarray | None = None, mask: np.ndarray | None = None) -> np.ndarray:
        weights = self.entry_weights
        if values is not None:
            weights = values if weights is None else values * weights
        indices = self.indices
        if mask is not None:
            indices = indices[mask]
            weights = None if weights is None else weights[mask]
        if weights is None:
            return np.bincount(indices, minlength=self.n_projects).astype(np.int64)
        if int(weights.sum()) < 2**53:
            # Float sums are exact below 2**53, and bincount is much faster than np.add.at.
            return np.rint(np.bincount(indices, weights=weights, minlength=self.n_projects)).astype(np.int64)
        out = np.zeros(self.n_projects, dtype=np.int64)
        np.add.at(out, indices, weights)
        return out

    @cached_property
    def approvals(self) -> np.ndarray:
        """Voters listing each project (weighted): approval counts, or the projects a cumulative or
        ordinal ballot names, which is what pabutools' `project in ballot` tests."""
        return self._per_project()

    @cached_property
    def positional_points(self) -> np.ndarray | None:
        """Ordinal ballots: the points of each entry, rank_length for the first and one less for each
        next position. None for other kinds."""
        if self.kind != "ordinal":
            return None
        starts = np.repeat(self.indptr[:-1], np.diff(self.indptr))
        position = np.arange(len(self.indices), dtype=np.int64) - starts
        longest = int(np.diff(self.indptr).max(initial=0))
        length = self.rank_length if self.rank_length is not None else longest
        return np.maximum(length - position, 0)

    @cached_property
    def total_points(self) -> np.ndarray:
        """Cumulative: points per project; ordinal: positional points; approval: approvals."""
        if self.points is not None:
            return self._per_project(self.points)
        if self.positional_points is not None:
            return self._per_project(self.positional_points)
        return self.approvals

    @cached_property
    def supporters(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The matrix by project (compressed sparse column): (indptr, voters, entry positions)."""
        order = np.argsort(self.indices, kind="stable")
        counts = np.bincount(self.indices, minlength=self.n_projects)
        indptr = np.zeros(self.n_projects + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return indptr, self.voter_of_entry[order], order

    def funded_voters(self, funded: np.ndarray) -> int:
        """Voters (weighted) whose ballot names at least one project of the boolean mask `funded`."""
        hits = np.concatenate(([0], np.cumsum(funded[self.indices], dtype=np.int64)))
        has = (hits[self.indptr[1:]] - hits[self.indptr[:-1]]) > 0
        if self.weights is None:
            return int(has.sum())
        return int(self.weights[has].sum())

    def amount(self, value: int) -> int | Decimal:
        """A scaled amount back in currency units."""
        if self.scale == 1:
            return int(value)
        return Decimal(int(value)) / self.scale

    # --- constructors --------------------------------------------------------------------------------
    @classmethod
    def from_ballots(
        cls,
        *,
        project_ids: Sequence[str],
        costs: Sequence[int | Decimal | str],
        budget: int | Decimal | str,
        ballots: Sequence[Sequence[str]],
        kind: str = "approval",
        points: Sequence[Sequence[int]] | None = None,
        weights: Sequence[int] | None = None,
        rank_length: int | None = None,
    ) -> Election:
        """Ballots as lists of project ids (best first for ordinal), with `points` aligned to them for
        cumulative ballots. Costs and budget in currency units (int, Decimal or decimal text)."""
        ids = [str(p) for p in project_ids]
        position = {pid: j for j, pid in enumerate(ids)}
        scaled, scaled_budget, scale = scale_amounts(costs, budget)
        lengths = np.fromiter((len(b) for b in ballots), dtype=np.int64, count=len(ballots))
        indptr = np.zeros(len(ballots) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        try:
            flat = [position[str(p)] for ballot in ballots for p in ballot]
        except KeyError as exc:
            raise ElectionError(f"a ballot names unknown project {exc.args[0]!r}") from None
        flat_points = None
        if points is not None:
            if len(points) != len(ballots) or any(
                len(a) != len(b) for a, b in zip(points, ballots, strict=True)
            ):
                raise ElectionError("points must match the ballots one to one")
            flat_points = np.fromiter((x for row in points for x in row), dtype=np.int64, count=len(flat))
        return cls(
            project_ids=tuple(ids),
            costs=scaled,
            budget=scaled_budget,
            kind=kind,
            indptr=indptr,
            indices=np.asarray(flat, dtype=np.int64),
            points=flat_points,
            weights=None if weights is None else np.asarray(weights, dtype=np.int64),
            scale=scale,
            rank_length=rank_length,
        )

    @classmethod
    def from_matrix(
        cls,
        *,
        project_ids: Sequence[str],
        costs: Sequence[int | Decimal | str],
        budget: int | Decimal | str,
        matrix: np.ndarray,
        kind: str = "approval",
        weights: Sequence[int] | None = None,
        rank_length: int | None = None,
    ) -> Election:
        """A dense voters × projects matrix: bool approvals, int points (0: not on the ballot) for
        cumulative, or rank positions (1 = best, 0 = unranked) for ordinal ballots."""
        matrix = np.asarray(matrix)
        if matrix.ndim != 2 or matrix.shape[1] != len(project_ids):
            raise ElectionError("the matrix needs one column per project")
        if kind != "approval" and (matrix < 0).any():
            raise ElectionError("points and ranks must be non-negative")
        rows, cols = np.nonzero(matrix)
        if kind == "ordinal":
            order = np.lexsort((matrix[rows, cols], rows))
            rows, cols = rows[order], cols[order]
        scaled, scaled_budget, scale = scale_amounts(costs, budget)
        indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
        return cls(
            project_ids=tuple(str(p) for p in project_ids),
            costs=scaled,
            budget=scaled_budget,
            kind=kind,
            indptr=indptr,
            indices=cols,
            points=matrix[rows, cols].astype(np.int64) if kind == "cumulative" else None,
            weights=None if weights is None else np.asarray(weights, dtype=np.int64),
            scale=scale,
            rank_length=rank_length,
        )


def pabulib_rank_length(meta: Mapping[str, str]) -> int | None:
    """The points of a first choice that a Pabulib file's META states (max_length), if it does."""
    raw = meta.get("max_length", "").strip()
    return int(raw) if raw.isdigit() else None


def election_from_pabulib(f: PabulibFile) -> Election:
    """The election a Pabulib file describes. Scoring ballots are tallied like cumulative ones; for
    ordinal ballots META max_length (if given) is the number of points of a first choice."""
    kind = PABULIB_KINDS.get(f.vote_type)
    if kind is None:
        raise ElectionError(f"vote_type {f.vote_type!r} cannot be tallied")
    rank_length = pabulib_rank_length(f.meta) if kind == "ordinal" else None
    points = None
    if kind == "cumulative":
        points = [v.points or [] for v in f.votes]
    return Election.from_ballots(
        project_ids=list(f.projects),
        costs=[p.cost for p in f.projects.values()],
        budget=f.budget,
        ballots=[v.vote for v in f.votes],
        kind=kind,
        points=points,
        rank_length=rank_length,
    )
