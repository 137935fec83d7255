"""Reads for a tally: the ballots of one scope straight from their rows into the arrays a tally runs on,
and a fingerprint of everything a tally reads, to tell whether it is still what was counted.

A million ballots are read as JSON text in chunks and decoded a chunk at a time; what is kept is numpy
(a few bytes per ballot entry), never a Python object per ballot."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

import numpy as np
from django.db.models import Count, Max, Q, QuerySet, Sum, TextField
from django.db.models.functions import Cast

from gorod.budgeting import ballot_kinds
from gorod.budgeting.models import RULE_FIELDS, Ballot, Budget, Process, Project
from gorod.budgeting.tally import Election, ElectionError
from gorod.budgeting.tally.election import scale_amounts

COUNTED = (Project.Status.ON_BALLOT, Project.Status.FUNDED, Project.Status.NOT_FUNDED)
CHUNK = 20_000


def scope_filter(district) -> Q:
    return Q(district=None) if district is None else Q(district=district)


def counted_projects(process: Process, district) -> QuerySet[Project]:
    """The projects on the ballot of one scope (or counted there already), in ballot order."""
    return (
        Project.objects.filter(process=process, status__in=COUNTED)
        .filter(scope_filter(district))
        .order_by("order", "pk")
    )


@dataclass(frozen=True)
class ScopeElection:
    election: Election
    project_pks: dict[str, int]  # project code -> Project pk


def scope_election(process: Process, budget: Budget) -> ScopeElection | None:
    """The election of one scope, ballots in the order they were stored; None when no project is on
    its ballot. ElectionError when a ballot names a project that is not (any more) on it."""
    projects = list(counted_projects(process, budget.district).values_list("code", "cost", "pk"))
    if not projects:
        return None
    kind = ballot_kinds.of(process)
    codes = [code for code, _cost, _pk in projects]
    costs, scaled_budget, scale = scale_amounts([cost for _code, cost, _pk in projects], budget.amount)
    columns: list[Any] = [Cast("choices", TextField())]
    if kind.points:
        columns.append(Cast("points", TextField()))
    rows = (
        Ballot.objects.filter(process=process)
        .filter(scope_filter(budget.district))
        .order_by("pk")
        .values_list(*columns)
        .iterator(chunk_size=CHUNK)
    )
    indptr, indices, points = _csr(rows, {code: j for j, code in enumerate(codes)}, with_points=kind.points)
    election = Election(
        project_ids=tuple(codes),
        costs=costs,
        budget=scaled_budget,
        kind=kind.tally_kind,
        indptr=indptr,
        indices=indices,
        points=points,
        scale=scale,
        rank_length=kind.rank_length(process),
    )
    return ScopeElection(election, {code: pk for code, _cost, pk in projects})


def _chunks(rows: Iterator[tuple[str | None, ...]]) -> Iterator[list[tuple[str | None, ...]]]:
    return iter(lambda: list(islice(rows, CHUNK)), [])


def _decode(texts: list[str | None]) -> list[Any]:
    # One json.loads per chunk, not per ballot.
    return json.loads("[" + ",".join(t if t is not None else "null" for t in texts) + "]")


def _csr(
    rows: Iterator[tuple[str | None, ...]], position: dict[str, int], *, with_points: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(indptr, indices, points) of the ballots `rows` ((choices JSON, [points JSON]) each)."""
    lengths: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    points: list[np.ndarray] = []
    for chunk in _chunks(rows):
        choices = _decode([row[0] for row in chunk])
        sizes = np.fromiter(map(len, choices), dtype=np.int64, count=len(choices))
        entries = int(sizes.sum())
        try:
            flat = np.fromiter(map(position.__getitem__, chain.from_iterable(choices)), np.int32, entries)
        except KeyError as exc:
            raise ElectionError(f"a ballot names unknown project {exc.args[0]!r}") from None
        lengths.append(sizes)
        indices.append(flat)
        if with_points:
            given = _decode([row[1] for row in chunk])
            if any(p is None or len(p) != len(c) for p, c in zip(given, choices, strict=True)):
                raise ElectionError("points must match the ballots one to one")
            points.append(np.fromiter(chain.from_iterable(given), np.int64, entries))
    indptr = np.zeros(sum(len(s) for s in lengths) + 1, dtype=np.int64)
    np.cumsum(np.concatenate([np.empty(0, np.int64), *lengths]), out=indptr[1:])
    flat_indices = np.concatenate([np.empty(0, np.int32), *indices])
    flat_points = np.concatenate([np.empty(0, np.int64), *points]) if with_points else None
    return indptr, flat_indices, flat_points


def fingerprint(process: Process) -> tuple[Any, ...]:
    """Everything a tally of `process` reads, in brief: the rules, the budgets, the counted projects and
    the ballots. Ballots are never edited in place (a re-vote adds a row and deletes the old one) and ids
    are never reused, so their count, sum and largest id change whenever one is added or removed."""
    rules = Process.objects.filter(pk=process.pk).values_list(*RULE_FIELDS, "pabulib_meta").get()
    budgets = Budget.objects.filter(process=process).order_by("pk").values_list("pk", "district", "amount")
    projects = (
        Project.objects.filter(process=process, status__in=COUNTED)
        .order_by("pk")
        .values_list("pk", "code", "cost", "district", "order")
    )
    ballots = Ballot.objects.filter(process=process).aggregate(n=Count("pk"), total=Sum("pk"), last=Max("pk"))
    return rules, tuple(budgets), tuple(projects), tuple(ballots.values())
