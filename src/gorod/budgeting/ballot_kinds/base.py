"""What a ballot kind knows: how the ballot form posts it, what a valid ballot of that kind is, how it
travels in a Pabulib file, and what a tally counts it as. Each kind is one object (ballot_kinds.KINDS)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gorod.budgeting.tally.election import PABULIB_KINDS

if TYPE_CHECKING:
    from gorod.budgeting.models import Budget, Process, Project
    from gorod.budgeting.pabulib import Vote


@dataclass(frozen=True)
class Posted:
    """A ballot as the form posted it, before any check; `shown` is what the form shows again when the
    ballot is refused ("chosen", "points" or "ranks", as the template reads them)."""

    choices: list[str]
    points: list[int] | None = None
    shown: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Draft:
    """A ballot being checked. Precondition: `chosen` are distinct projects on the ballot of this scope,
    in ballot order; `scope_projects` are all of them; `points` as posted."""

    process: Process
    budget: Budget
    chosen: list[Project]
    scope_projects: list[Project]
    points: list[int] | None


def meta_int(meta: Mapping[str, str], key: str) -> int | None:
    """A whole number from Pabulib META, None when it is missing or not a number."""
    value = meta.get(key, "").strip()
    try:
        return int(float(value)) if value else None
    except ValueError:
        return None


class Kind:
    """One ballot kind. `value` is its Process.BallotKind; `pabulib_type` the vote_type it is exported as
    (and, through tally.election.PABULIB_KINDS, what a tally counts it as); `imports` the vote types a
    Pabulib file may have to be imported as this kind; `points` whether its ballots carry points."""

    value: str
    pabulib_type: str
    imports: tuple[str, ...]
    points: bool = False

    @property
    def tally_kind(self) -> str:
        return PABULIB_KINDS[self.pabulib_type]

    def parse(self, post: Any, *, codes: Sequence[str], process: Process) -> Posted:
        """The ballot from the posted form of the projects `codes` (a QueryDict)."""
        raise NotImplementedError

    def validate(self, draft: Draft) -> list[int] | None:
        """The points to store (None for kinds without points), or Refused saying what is wrong."""
        raise NotImplementedError

    def pabulib_meta(self, process: Process, budget: Budget) -> dict[str, str]:
        """The META rows that state this kind's limits, in the order they are written."""
        raise NotImplementedError

    def claims(self, meta: Mapping[str, str]) -> bool:
        """Whether a Pabulib file with this META is imported as this kind."""
        return meta.get("vote_type", "approval") in self.imports

    def settings_from_pabulib(self, meta: Mapping[str, str], votes: Sequence[Vote]) -> dict[str, Any]:
        """The process's limits for a file imported as this kind."""
        return {}

    def rank_length(self, process: Process) -> int | None:
        """Points of a first choice in an ordinal tally (None: not ranked, or the longest ballot)."""
        return None
