"""What a project's phase allows, declared as data.

A project runs through phases (models.Phase) with dates; modules hang off a phase. A phase's *state* comes
from its dates alone: upcoming before it starts, open while it runs, closed after. The state decides which
actions any module of the phase may offer right now (ALLOWS); the module's kind decides which actions it
has at all (modules.REGISTRY); who may act is rules.WHO. A permission needs all three."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.core import clock

if TYPE_CHECKING:
    from gorod.consultations.models import Phase


class PhaseState(models.TextChoices):
    UPCOMING = "upcoming", _("not started yet")
    OPEN = "open", _("open now")
    CLOSED = "closed", _("over")


class Action(models.TextChoices):
    READ = "read", _("read")
    CONTRIBUTE = "contribute", _("contribute")  # a pin, a question, an idea, a survey response
    COMMENT = "comment", _("comment")
    VOTE = "vote", _("vote or support")


# Reading never closes: what was said stays public once the phase is over (and before it opens, the
# module's introduction is readable).
ALLOWS: dict[str, frozenset[str]] = {
    PhaseState.UPCOMING: frozenset({Action.READ}),
    PhaseState.OPEN: frozenset({Action.READ, Action.CONTRIBUTE, Action.COMMENT, Action.VOTE}),
    PhaseState.CLOSED: frozenset({Action.READ}),
}


def allows(state: str, action: str) -> bool:
    return action in ALLOWS.get(state, frozenset())


def state_of(starts: dt.datetime, ends: dt.datetime, at: dt.datetime | None = None) -> str:
    """Phases run over [starts, ends)."""
    at = at or clock.now()
    if at < starts:
        return PhaseState.UPCOMING
    if at < ends:
        return PhaseState.OPEN
    return PhaseState.CLOSED


def current_phase(phases: Iterable[Phase], at: dt.datetime | None = None) -> Phase | None:
    """The first phase open at `at` (phases may overlap; the earlier one is named)."""
    at = at or clock.now()
    for phase in phases:
        if phase.starts <= at < phase.ends:
            return phase
    return None
