"""Ballots that tick projects: approval (between a least and a most number of projects) and knapsack
(projects that together fit in the budget)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gorod.budgeting.ballot_kinds.base import Draft, Kind, Posted, meta_int
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Budget, Process
from gorod.budgeting.pabulib import Vote, number_text

# A forged form cannot make the server look at more than this many boxes (the service refuses more).
MAX_POSTED = 600
TICK_TYPES = ("approval", "choose-1")


class Ticks(Kind):
    pabulib_type = "approval"
    imports = TICK_TYPES

    def parse(self, post: Any, *, codes: Sequence[str], process: Process) -> Posted:
        chosen = post.getlist("project")[:MAX_POSTED]
        return Posted(chosen, None, {"chosen": set(chosen)})


class Approval(Ticks):
    value = Process.BallotKind.APPROVAL

    def claims(self, meta: Mapping[str, str]) -> bool:
        return super().claims(meta) and not meta.get("max_sum_cost")

    def validate(self, draft: Draft) -> list[int] | None:
        process, n = draft.process, len(draft.chosen)
        least = max(min(process.min_choices, len(draft.scope_projects)), 1)
        if n < least:
            raise Refused(
                ngettext("Choose at least %(n)d project.", "Choose at least %(n)d projects.", least)
                % {"n": least}
            )
        if process.max_choices is not None and n > process.max_choices:
            raise Refused(
                ngettext(
                    "Choose at most %(n)d project.", "Choose at most %(n)d projects.", process.max_choices
                )
                % {"n": process.max_choices}
            )
        return None

    def pabulib_meta(self, process: Process, budget: Budget) -> dict[str, str]:
        meta = {"min_length": str(process.min_choices)}
        if process.max_choices is not None:
            meta["max_length"] = str(process.max_choices)
        return meta

    def settings_from_pabulib(self, meta: Mapping[str, str], votes: Sequence[Vote]) -> dict[str, Any]:
        least = meta_int(meta, "min_length")
        one = meta.get("vote_type") == "choose-1"
        return {
            "min_choices": least if least is not None else 1,
            "max_choices": 1 if one else meta_int(meta, "max_length"),
        }


def _money(amount: Decimal, process: Process) -> str:
    return f"{number_format(amount, 0, force_grouping=True)} {process.currency}"


class Knapsack(Ticks):
    value = Process.BallotKind.KNAPSACK

    def claims(self, meta: Mapping[str, str]) -> bool:
        return super().claims(meta) and bool(meta.get("max_sum_cost"))

    def validate(self, draft: Draft) -> list[int] | None:
        process, budget = draft.process, draft.budget
        if not draft.chosen:
            raise Refused(_("Choose at least one project."))
        total = sum((p.cost for p in draft.chosen), Decimal(0))
        if total > budget.amount:
            raise Refused(
                _("Your choice costs %(total)s, more than the budget of %(budget)s.")
                % {"total": _money(total, process), "budget": _money(budget.amount, process)}
            )
        floor = budget.amount * process.min_spend_percent / 100
        floor = min(floor, sum((p.cost for p in draft.scope_projects), Decimal(0)))
        if total < floor:
            raise Refused(
                _("Your choice costs %(total)s; spend at least %(floor)s.")
                % {"total": _money(total, process), "floor": _money(floor, process)}
            )
        return None

    def pabulib_meta(self, process: Process, budget: Budget) -> dict[str, str]:
        return {"max_sum_cost": number_text(budget.amount)}
