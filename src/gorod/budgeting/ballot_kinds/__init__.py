"""The ballot kinds, declared as data: one object per Process.BallotKind that parses the ballot form,
validates a ballot, converts to and from Pabulib and tells the tally how to count it. Adding a kind
means adding one object to KINDS (and its choice to Process.BallotKind)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from gorod.budgeting.ballot_kinds.approval import Approval, Knapsack
from gorod.budgeting.ballot_kinds.base import Draft, Kind, Posted
from gorod.budgeting.ballot_kinds.cumulative import Cumulative
from gorod.budgeting.ballot_kinds.ranked import Ranked

if TYPE_CHECKING:
    from gorod.budgeting.models import Process

__all__ = ["KINDS", "Draft", "Kind", "Posted", "from_pabulib", "of"]

KINDS: dict[str, Kind] = {kind.value: kind for kind in (Approval(), Knapsack(), Cumulative(), Ranked())}


def of(process: Process) -> Kind:
    return KINDS[process.ballot_kind]


def from_pabulib(meta: Mapping[str, str]) -> Kind:
    """The kind a Pabulib file with this META is imported as (pabulib.parse has checked vote_type)."""
    return next(kind for kind in KINDS.values() if kind.claims(meta))
