"""Ranked ballots: a fixed number of distinct projects, best first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import ngettext

from gorod.budgeting.ballot_kinds.base import Draft, Kind, Posted, meta_int
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Budget, Process
from gorod.budgeting.pabulib import Vote
from gorod.budgeting.tally.election import pabulib_rank_length


class Ranked(Kind):
    value = Process.BallotKind.RANKED
    pabulib_type = "ordinal"
    imports = ("ordinal",)

    def parse(self, post: Any, *, codes: Sequence[str], process: Process) -> Posted:
        choices: list[str] = []
        shown: dict[int, str] = {}
        for position in range(1, process.ranked_length + 1):
            picked = post.get(f"rank-{position}", "").strip()
            shown[position] = picked
            if picked:
                choices.append(picked)
        return Posted(choices, None, {"ranks": shown})

    def validate(self, draft: Draft) -> list[int] | None:
        length = min(draft.process.ranked_length, len(draft.scope_projects))
        if len(draft.chosen) != length:
            raise Refused(
                ngettext("Rank exactly %(n)d project.", "Rank exactly %(n)d projects.", length)
                % {"n": length}
            )
        return None

    def pabulib_meta(self, process: Process, budget: Budget) -> dict[str, str]:
        return {"min_length": str(process.ranked_length), "max_length": str(process.ranked_length)}

    def settings_from_pabulib(self, meta: Mapping[str, str], votes: Sequence[Vote]) -> dict[str, Any]:
        longest = max((len(v.vote) for v in votes), default=1)
        most, least = meta_int(meta, "max_length"), meta_int(meta, "min_length")
        return {"ranked_length": most or least or longest or 1}

    def rank_length(self, process: Process) -> int | None:
        # An imported file is counted as pabutools counts the file; a Gorod ballot ranks ranked_length.
        source = (process.pabulib_meta or {}).get("meta")
        return pabulib_rank_length(source) if source else process.ranked_length
