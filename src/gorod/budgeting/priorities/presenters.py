"""Shapes the board and the aggregate into rows the templates draw, and the data priorities.js reads;
the bars are computed here once so the server-rendered page and the script agree."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gorod.budgeting.priorities.models import Game
from gorod.budgeting.priorities.selectors import Aggregate, Board


def status_of(game: Game, today: dt.date) -> dict:
    if today < game.opens_on:
        return {"code": "upcoming", "open": False}
    if game.closes_on is not None and today > game.closes_on:
        return {"code": "closed", "open": False}
    return {"code": "open", "open": True}


def half_bar(value: float, scale: int) -> float:
    """How much of its half (left for hurts, right for helps) a value fills, in percent."""
    return round(min(100.0, 100.0 * abs(value) / max(scale, 1)), 1)


def direction(value: float) -> str:
    return "up" if value > 0.05 else "down" if value < -0.05 else "zero"


def priority_rows(b: Board, totals: dict[int, int], *, average: dict[int, float] | None = None) -> list[dict]:
    rows = []
    for p in b.priorities:
        value = totals.get(p.pk, 0)
        row = {"priority": p, "value": value, "pct": half_bar(value, b.scale), "dir": direction(value)}
        if average is not None:
            avg = average.get(p.pk, 0.0)
            row |= {"average": avg, "avg_pct": half_bar(avg, b.scale), "avg_dir": direction(avg)}
        rows.append(row)
    return rows


def _effects(b: Board, action_id: int) -> list[dict]:
    values = b.effects[action_id]
    return [
        {"priority": p, "value": values[p.pk], "dir": direction(values[p.pk])}
        for p in b.priorities
        if values.get(p.pk)
    ]


def area_rows(b: Board, chosen: set[int]) -> list[dict]:
    return [
        {
            "area": area,
            "actions": [
                {"action": a, "checked": a.pk in chosen, "effects": _effects(b, a.pk)}
                for a in area.actions.all()
            ],
        }
        for area in b.areas
    ]


def action_rows(b: Board, mine: set[int], everyone: Aggregate) -> list[dict]:
    return [
        {
            "area": area,
            "actions": [
                {
                    "action": a,
                    "mine": a.pk in mine,
                    "share_pct": round(100 * everyone.share.get(a.pk, 0.0), 1),
                    "chosen": everyone.chosen.get(a.pk, 0),
                }
                for a in area.actions.all()
            ],
        }
        for area in b.areas
    ]


def coin_rows(b: Board, mine: set[int], everyone: Aggregate) -> list[dict]:
    """Coins per area: the player's and the average, with bar lengths as a share of the pool."""
    rows = []
    for area in b.areas:
        spent = sum(a.cost for a in area.actions.all() if a.pk in mine)
        average = everyone.area_coins.get(area.pk, 0.0)
        rows.append(
            {
                "area": area,
                "mine": spent,
                "average": average,
                "mine_pct": round(100 * spent / b.game.coins, 1),
                "average_pct": round(100 * average / b.game.coins, 1),
            }
        )
    return rows


def client_data(b: Board) -> dict:
    """What priorities.js needs to redraw the bars as the player chooses (read with json_script)."""
    return {
        "pool": b.game.coins,
        "scale": b.scale,
        "priorities": [{"id": p.pk, "label": p.label} for p in b.priorities],
        "actions": {
            str(pk): {
                "cost": a.cost,
                "label": a.label,
                "effects": {str(k): v for k, v in b.effects[pk].items()},
            }
            for pk, a in b.actions.items()
        },
        "i18n": {
            "left": _("%(left)s of %(pool)s coins left"),
            "over": _("%(over)s coins over your budget: remove an action"),
            "needs": _("needs %(more)s more coins"),
            "added": _("Added “%(action)s”: %(effects)s."),
            "removed": _("Removed “%(action)s”: %(effects)s."),
            "refused": _("Not enough coins for “%(action)s”: %(more)s more needed. Remove an action first."),
            "noEffect": _("no effect on the priorities"),
        },
    }
