"""Setting a process up: the process, its budgets, its phases; freezing; moving projects on as phases end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gorod.budgeting import phases
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import RULE_FIELDS, Budget, Phase, Process, Project
from gorod.budgeting.phases import PhaseKind
from gorod.budgeting.services.results import results_publish
from gorod.core import clock

EDITABLE_FIELDS = frozenset(
    {"title", "title_en", "description", "description_en", "published", "currency", *RULE_FIELDS}
)


@dataclass(frozen=True)
class NewPhase:
    kind: str
    starts: dt.datetime
    ends: dt.datetime
    support_threshold: int = 0


def is_frozen(process: Process, at: dt.datetime | None = None) -> bool:
    """Rules are frozen from the opening of the vote on, whether or not a ballot was cast yet."""
    if process.frozen:
        return True
    ballot = phases.phase_of_kind(process, PhaseKind.BALLOT)
    return ballot is not None and ballot.starts <= (at or clock.now())


def _full_clean(obj, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        messages = [str(m) for field_messages in exc.message_dict.values() for m in field_messages]
        raise Refused(" ".join(messages)) from exc


def _check_rules(process: Process) -> None:
    if process.max_choices is not None and process.max_choices < process.min_choices:
        raise Refused(_("The most projects a voter may choose is below the least."))
    if process.points_per_project < 1 or process.points_total < 1:
        raise Refused(_("A cumulative ballot needs at least one point."))
    if process.points_per_project > process.points_total:
        raise Refused(_("A project cannot take more points than a voter has."))
    if process.ranked_length < 1:
        raise Refused(_("A ranked ballot orders at least one project."))


@transaction.atomic
def process_create(
    *,
    municipality,
    slug: str,
    title: str,
    budgets: list[tuple[Any, Decimal | int]],
    phase_list: list[NewPhase] = (),  # type: ignore[assignment]
    **fields: Any,
) -> Process:
    """budgets: (district or None for the city, amount) pairs; at least one."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise Refused(_("Unknown process settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if not budgets:
        raise Refused(_("A process needs a budget for the city or for at least one district."))
    if Process.objects.filter(municipality=municipality, slug=slug).exists():
        raise Refused(_("A process with this short name already exists."))
    process = Process(municipality=municipality, slug=slug, title=title, **fields)
    _full_clean(process)
    _check_rules(process)
    process.save()
    for district, amount in budgets:
        _budget_save(process, district, amount)
    if phase_list:
        _phases_save(process, list(phase_list))
    return process


def _budget_save(process: Process, district, amount) -> Budget:
    if district is not None and district.municipality_id != process.municipality_id:
        raise Refused(_("This district is not in the process's city."))
    budget, _created = Budget.objects.get_or_create(
        process=process, district=district, defaults={"amount": Decimal(amount)}
    )
    budget.amount = Decimal(amount)
    _full_clean(budget, exclude=["process", "district"])
    budget.save()
    return budget


@transaction.atomic
def budget_set(*, process: Process, district, amount: Decimal | int) -> Budget:
    process = Process.objects.select_for_update().get(pk=process.pk)
    if is_frozen(process):
        raise Refused(_("The budgets cannot change once voting has opened."))
    return _budget_save(process, district, amount)


def _phases_save(process: Process, items: list[NewPhase]) -> None:
    kinds = [p.kind for p in items]
    if any(k not in phases.ORDER for k in kinds):
        raise Refused(_("Unknown phase kind."))
    if not phases.check_order(kinds):
        raise Refused(
            _("Phases must follow the order ideas, support, lottery, review, vote, results, implementation.")
        )
    previous_end = None
    for item in items:
        if item.ends <= item.starts:
            raise Refused(_("A phase must end after it starts."))
        if previous_end is not None and item.starts < previous_end:
            raise Refused(_("Phases must not overlap."))
        previous_end = item.ends
    Phase.objects.filter(process=process).delete()
    Phase.objects.bulk_create(
        [
            Phase(
                process=process,
                kind=p.kind,
                starts=p.starts,
                ends=p.ends,
                support_threshold=p.support_threshold,
            )
            for p in items
        ]
    )
    process.__dict__.pop("_phase_cache", None)


@transaction.atomic
def phases_set(*, process: Process, phase_list: list[NewPhase]) -> None:
    process = Process.objects.select_for_update().get(pk=process.pk)
    if is_frozen(process):
        raise Refused(_("The phases cannot change once voting has opened."))
    _phases_save(process, phase_list)


@transaction.atomic
def process_update(*, process: Process, **changes: Any) -> Process:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise Refused(_("Unknown process settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    locked = Process.objects.select_for_update().get(pk=process.pk)
    rule_changes = [k for k in changes if k in RULE_FIELDS and getattr(locked, k) != changes[k]]
    if rule_changes and is_frozen(locked):
        raise Refused(_("The voting rules are frozen: voting has opened."))
    for key, value in changes.items():
        setattr(locked, key, value)
    _full_clean(locked)
    _check_rules(locked)
    locked.save()
    return locked


def _ended(process: Process, kind: str, at: dt.datetime) -> bool:
    phase = phases.phase_of_kind(process, kind)
    return phase is not None and phase.ends <= at


def _started(process: Process, kind: str, at: dt.datetime) -> bool:
    phase = phases.phase_of_kind(process, kind)
    return phase is not None and phase.starts <= at


def process_advance(*, process: Process) -> list[str]:
    """Apply what the phases that ended or began call for; safe to run any number of times (the
    periodic worker or a staff button). Returns what it did, for the log. The tally at the close of the
    vote runs after the other changes are committed, so that it holds no lock while it counts."""
    done, publish = _advance_statuses(process=process)
    if publish:
        results_publish(process=process)
        done.append("results published")
    return done


@transaction.atomic
def _advance_statuses(*, process: Process) -> tuple[list[str], bool]:
    """What process_advance does but the tally, and whether the results are due."""
    process = Process.objects.select_for_update().get(pk=process.pk)
    at = clock.now()
    done: list[str] = []
    S = Project.Status
    support = phases.phase_of_kind(process, PhaseKind.SUPPORT)
    if support is not None and support.ends <= at:
        from django.db.models import Count

        qualifying = (
            Project.objects.filter(process=process, status=S.SUBMITTED)
            .annotate(n=Count("supports"))
            .filter(n__gte=support.support_threshold)
            .values_list("pk", flat=True)
        )
        n = Project.objects.filter(pk__in=list(qualifying)).update(status=S.SUPPORTED, updated=at)
        if n:
            done.append(f"supported: {n}")
    elif (
        support is None
        and phases.phase_of_kind(process, PhaseKind.IDEAS) is not None
        and _ended(process, PhaseKind.IDEAS, at)
    ):
        n = Project.objects.filter(process=process, status=S.SUBMITTED).update(status=S.SUPPORTED, updated=at)
        if n:
            done.append(f"supported: {n}")
    if _started(process, PhaseKind.REVIEW, at):
        n = Project.objects.filter(process=process, status=S.SUPPORTED).update(status=S.IN_REVIEW, updated=at)
        if n:
            done.append(f"in review: {n}")
    if _started(process, PhaseKind.BALLOT, at):
        n = Project.objects.filter(process=process, status=S.FEASIBLE).update(status=S.ON_BALLOT, updated=at)
        if n:
            done.append(f"on ballot: {n}")
        if not process.frozen:
            process.frozen = True
            process.save(update_fields=["frozen"])
            done.append("frozen")
    return done, _ended(process, PhaseKind.BALLOT, at) and process.results_published is None
