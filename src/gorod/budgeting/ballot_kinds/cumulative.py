"""Cumulative ballots: the voter shares out points, at most so many on one project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gorod.budgeting.ballot_kinds.base import Draft, Kind, Posted, meta_int
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Budget, Process
from gorod.budgeting.pabulib import Vote

FIELD = "points-"
# Forged fields for projects not on this ballot: enough of them reach the service to be refused there.
FORGED_KEPT = 5


class Cumulative(Kind):
    value = Process.BallotKind.CUMULATIVE
    pabulib_type = "cumulative"
    imports = ("cumulative", "scoring")
    points = True

    def parse(self, post: Any, *, codes: Sequence[str], process: Process) -> Posted:
        choices: list[str] = []
        points: list[int] = []
        shown: dict[str, str] = {}
        for code in codes:
            raw = post.get(f"{FIELD}{code}", "").strip()
            try:
                value = int(raw) if raw else 0
            except ValueError:
                value = -1
            shown[code] = raw
            if value != 0:
                choices.append(code)
                points.append(value)
        # A forged field for a project not on this ballot is refused by the service, not ignored.
        forged = [
            k.removeprefix(FIELD) for k in post if k.startswith(FIELD) and k.removeprefix(FIELD) not in codes
        ]
        for code in forged[:FORGED_KEPT]:
            choices.append(code)
            points.append(1)
        return Posted(choices, points, {"points": shown})

    def validate(self, draft: Draft) -> list[int] | None:
        process, points = draft.process, draft.points
        if points is None or len(points) != len(draft.chosen):
            raise Refused(_("Give each chosen project its points."))
        if not draft.chosen:
            raise Refused(_("Give at least one project a point."))
        for p in points:
            if not isinstance(p, int) or p < 1:
                raise Refused(_("Points are whole numbers from 1."))
            if p > process.points_per_project:
                raise Refused(
                    ngettext(
                        "A project may take at most %(n)d point.",
                        "A project may take at most %(n)d points.",
                        process.points_per_project,
                    )
                    % {"n": process.points_per_project}
                )
        if sum(points) > process.points_total:
            raise Refused(
                ngettext(
                    "You have %(n)d point to give.", "You have %(n)d points to give.", process.points_total
                )
                % {"n": process.points_total}
            )
        return list(points)

    def pabulib_meta(self, process: Process, budget: Budget) -> dict[str, str]:
        return {"max_sum_points": str(process.points_total), "max_points": str(process.points_per_project)}

    def settings_from_pabulib(self, meta: Mapping[str, str], votes: Sequence[Vote]) -> dict[str, Any]:
        total = meta_int(meta, "max_sum_points") or max((sum(v.points or [0]) for v in votes), default=1) or 1
        return {
            "points_total": total,
            "points_per_project": min(meta_int(meta, "max_points") or total, total),
        }
