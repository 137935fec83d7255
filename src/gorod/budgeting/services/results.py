"""Publishing results: every scope is tallied under the process's rule (which decides what is funded)
and under greedy and MES for comparison; the outcomes are stored so the results page reads, never
recomputes."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from gorod.budgeting import exchange
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Budget, Process, Project, Result
from gorod.core import clock

COMPARE = ("greedy", "mes")


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


def tally_scope(process: Process, district, rules: tuple[str, ...]) -> tuple[int, dict[str, Any]]:
    """(number of ballots, {rule: Outcome}) for one scope."""
    from gorod.budgeting.tally import election_from_pabulib, run

    data = exchange.scope_file(process, district)
    outcomes = {}
    if data.projects:
        election = election_from_pabulib(data)
        for rule in rules:
            outcomes[rule] = run(rule, election)
    return len(data.votes), {"file": data, **outcomes}


def _voters_with_funded(data, funded: set[str]) -> int:
    return sum(1 for v in data.votes if funded.intersection(v.vote))


@transaction.atomic
def results_publish(*, process: Process, actor=None) -> list[Result]:
    """Tally and publish (again, replacing an earlier publication). Only after the vote has closed;
    `actor` None is the system (process_advance), else a city administrator."""
    if actor is not None and not actor.has_perm("budgeting.manage", process):
        raise Refused(_("Only city administrators may publish results."))
    process = Process.objects.select_for_update().get(pk=process.pk)
    ballot = next((p for p in process.phase_list() if p.kind == "ballot"), None)
    if ballot is not None and clock.now() < ballot.ends:
        raise Refused(_("Results are published after the vote closes."))
    rules = tuple(dict.fromkeys((process.tally_rule, *COMPARE)))
    Result.objects.filter(process=process).delete()
    saved: list[Result] = []
    funded_all: set[int] = set()
    counted: set[int] = set()
    for budget in Budget.objects.filter(process=process).select_related("district"):
        n_ballots, outcomes = tally_scope(process, budget.district, rules)
        data = outcomes.pop("file")
        codes_to_pk = dict(
            Project.objects.filter(process=process, code__in=list(data.projects)).values_list("code", "pk")
        )
        counted.update(codes_to_pk.values())
        for rule, outcome in outcomes.items():
            funded = [str(c) for c in outcome.funded]
            details = _plain(getattr(outcome, "details", {}) or {})
            with_funded = details.get("voters_with_funded") if isinstance(details, dict) else None
            if not isinstance(with_funded, int):
                with_funded = _voters_with_funded(data, set(funded))
            saved.append(
                Result.objects.create(
                    process=process,
                    district=budget.district,
                    rule=rule,
                    funded=funded,
                    total_cost=Decimal(str(outcome.total_cost)),
                    voters=n_ballots,
                    voters_with_funded=with_funded,
                    details=details,
                    seconds=float(getattr(outcome, "seconds", 0.0)),
                )
            )
            if rule == process.tally_rule:
                funded_all.update(codes_to_pk[c] for c in funded if c in codes_to_pk)
    Project.objects.filter(pk__in=funded_all).update(status=Project.Status.FUNDED)
    Project.objects.filter(pk__in=counted - funded_all).update(status=Project.Status.NOT_FUNDED)
    process.results_published = clock.now()
    process.save(update_fields=["results_published"])
    return saved
