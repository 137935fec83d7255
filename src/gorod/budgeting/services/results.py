"""Publishing results: every scope is tallied under the process's rule (which decides what is funded)
and under greedy and MES for comparison; the outcomes are stored so the results page reads, never
recomputes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from gorod.budgeting import ballot_box
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Budget, Process, Project, Result
from gorod.budgeting.phases import PhaseKind, phase_of_kind
from gorod.budgeting.tally import Outcome, run
from gorod.core import clock

COMPARE = ("greedy", "mes")
# Tallies of inputs that changed before they could be stored; one more is then refused.
ATTEMPTS = 3


def _plain(value: Any) -> Any:
    """Tally details as JSON: numpy scalars and arrays, Decimals, tuples and sets made plain."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "__dict__"):
        return _plain(vars(value))
    return str(value)


@dataclass(frozen=True)
class ScopeTally:
    budget: Budget
    voters: int
    outcomes: dict[str, Outcome]
    project_pks: dict[str, int]


def tally_scope(process: Process, budget: Budget, rules: tuple[str, ...]) -> ScopeTally:
    """The outcomes of one scope under `rules` (none when no project is on its ballot)."""
    found = ballot_box.scope_election(process, budget)
    if found is None:
        return ScopeTally(budget, 0, {}, {})
    outcomes = {rule: run(rule, found.election) for rule in rules}
    return ScopeTally(budget, found.election.n_voters, outcomes, found.project_pks)


def _check_closed(process: Process) -> None:
    ballot = phase_of_kind(process, PhaseKind.BALLOT)
    if ballot is not None and clock.now() < ballot.ends:
        raise Refused(_("Results are published after the vote closes."))


def results_publish(*, process: Process, actor=None) -> list[Result]:
    """Tally and publish (again, replacing an earlier publication). Only after the vote has closed;
    `actor` None is the system (process_advance), else a city administrator.

    The tally reads the ballots with no transaction open and no lock held, so the rest of the city goes
    on writing while it runs (on SQLite a transaction holds the one write lock from its start). Then a
    short transaction locks the process, checks that the vote is still closed (Refused if it was
    reopened) and that nothing the tally read has changed since it began (ballot_box.fingerprint: rules,
    budgets, counted projects, ballots), and stores the results. Had anything changed — a ballot whose
    casting began before the close and committed during the tally, a cost corrected — the
    tally runs again on the new data, up to ATTEMPTS times in all, then Refused.

    Precondition: no transaction open (inside one the caller's locks are held throughout)."""
    if actor is not None and not actor.has_perm("budgeting.manage", process):
        raise Refused(_("Only city administrators may publish results."))
    _check_closed(Process.objects.get(pk=process.pk))  # before counting, not only after
    for _attempt in range(ATTEMPTS):
        read = ballot_box.fingerprint(process)
        # Read after the fingerprint: what is counted is what it saw, or newer (and then told apart).
        current = Process.objects.get(pk=process.pk)
        rules = tuple(dict.fromkeys((current.tally_rule, *COMPARE)))
        budgets = list(Budget.objects.filter(process=current).select_related("district"))
        tallies = [tally_scope(current, budget, rules) for budget in budgets]
        with transaction.atomic():
            locked = Process.objects.select_for_update().get(pk=process.pk)
            _check_closed(locked)
            if ballot_box.fingerprint(locked) == read:
                return _store(locked, tallies)
    raise Refused(_("The ballots or projects kept changing while the results were computed. Try again."))


def _store(process: Process, tallies: list[ScopeTally]) -> list[Result]:
    Result.objects.filter(process=process).delete()
    saved: list[Result] = []
    funded_all: set[int] = set()
    counted: set[int] = set()
    for tally in tallies:
        counted.update(tally.project_pks.values())
        for rule, outcome in tally.outcomes.items():
            funded = [str(c) for c in outcome.funded]
            saved.append(
                Result.objects.create(
                    process=process,
                    district=tally.budget.district,
                    rule=rule,
                    funded=funded,
                    total_cost=Decimal(str(outcome.total_cost)),
                    voters=tally.voters,
                    voters_with_funded=outcome.details["voters_with_funded"],
                    details=_plain(outcome.details),
                    seconds=outcome.seconds,
                )
            )
            if rule == process.tally_rule:
                funded_all.update(tally.project_pks[c] for c in funded)
    Project.objects.filter(pk__in=funded_all).update(status=Project.Status.FUNDED)
    Project.objects.filter(pk__in=counted - funded_all).update(status=Project.Status.NOT_FUNDED)
    process.results_published = clock.now()
    process.save(update_fields=["results_published"])
    return saved
