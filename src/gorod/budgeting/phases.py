"""The phases of a participatory-budgeting process, declared as data.

A process is an ordered list of Phase rows (models.Phase), each of one kind below with a start and an end.
A kind declares the actions it allows; permissions (budgeting.rules) combine "the current phase allows
this action" with "this person may do it". Adding a phase kind means adding one row to ALLOWS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.core import clock

if TYPE_CHECKING:
    from gorod.budgeting.models import Phase, Process


class PhaseKind(models.TextChoices):
    IDEAS = "ideas", _("idea submission")
    SUPPORT = "support", _("support collection")
    LOTTERY = "lottery", _("commission lottery")
    REVIEW = "review", _("expert review")
    BALLOT = "ballot", _("vote")
    RESULTS = "results", _("results")
    IMPLEMENTATION = "implementation", _("implementation")


class Action(models.TextChoices):
    SUBMIT_IDEA = "submit_idea", _("submit an idea")
    SUPPORT = "support", _("support an idea")
    DRAW_LOTTERY = "draw_lottery", _("draw the commission")
    REVIEW = "review", _("review a project")
    VOTE = "vote", _("vote")
    VIEW_RESULTS = "view_results", _("see the results")
    TRACK_IMPLEMENTATION = "track_implementation", _("record implementation progress")


# What each phase allows. Results stay visible while the projects are built.
ALLOWS: dict[str, frozenset[str]] = {
    PhaseKind.IDEAS: frozenset({Action.SUBMIT_IDEA}),
    PhaseKind.SUPPORT: frozenset({Action.SUPPORT}),
    PhaseKind.LOTTERY: frozenset({Action.DRAW_LOTTERY}),
    PhaseKind.REVIEW: frozenset({Action.REVIEW}),
    PhaseKind.BALLOT: frozenset({Action.VOTE}),
    PhaseKind.RESULTS: frozenset({Action.VIEW_RESULTS}),
    PhaseKind.IMPLEMENTATION: frozenset({Action.VIEW_RESULTS, Action.TRACK_IMPLEMENTATION}),
}

# The order phases must keep in a process (a process may leave kinds out).
ORDER: tuple[str, ...] = tuple(PhaseKind.values)


def allows(kind: str | None, action: str) -> bool:
    return kind is not None and action in ALLOWS.get(kind, frozenset())


def current_phase(phases: Iterable[Phase], at: dt.datetime | None = None) -> Phase | None:
    """The phase running at `at` (now): the one whose [starts, ends) holds it. Between two phases,
    and after the last one ended, no phase is current; the page then shows the last one that ended."""
    at = at or clock.now()
    for phase in phases:
        if phase.starts <= at < phase.ends:
            return phase
    return None


def last_started(phases: Iterable[Phase], at: dt.datetime | None = None) -> Phase | None:
    at = at or clock.now()
    started = [p for p in phases if p.starts <= at]
    return started[-1] if started else None


def phase_of_kind(process: Process, kind: str) -> Phase | None:
    for phase in process.phase_list():
        if phase.kind == kind:
            return phase
    return None


def check_order(kinds: list[str]) -> bool:
    """True when the kinds appear in the declared order, each at most once."""
    positions = [ORDER.index(k) for k in kinds]
    return positions == sorted(set(positions))
