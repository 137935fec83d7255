"""A published result in plain words: where the money of a scope went, and why projects that more people
voted for than for a funded one were not funded. Built from what the tally stored with the result
(tally.rules.explain_mes: supporters' money left, where the rest went, the completion's turn) and the
scope's projects and votes; it reads nothing from the database itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gorod.budgeting.models import Project, Result

MES_RULES = ("mes", "mes-cost", "mes-add1")
# Rules that stop when no project's own voters can pay for it, possibly with money left that a project
# would fit in.
STOPS_EARLY = ("mes", "mes-cost")
MAX_LOSSES = 5


def _amount(value: Any) -> Decimal:
    """Whole currency units: the explanation is about where the money went, not about kopecks."""
    return Decimal(round(float(value or 0)))


@dataclass(frozen=True)
class MoneyLeft:
    amount: Decimal  # what the funded projects leave of the budget
    cheapest: Project | None  # the cheapest project not funded, if any
    alone: bool  # it is the only project not funded
    stopped_early: bool  # a project not funded costs no more than that: the rule stopped before it


@dataclass(frozen=True)
class Loss:
    project: Project
    votes: int
    supporters: int
    shares: Decimal  # the supporters' equal shares together
    spent: Decimal  # of which already paid for other projects they voted for
    spent_on: list[tuple[Project, Decimal]]  # the projects that took most of it
    spent_elsewhere: Decimal  # the rest of `spent`, on other projects
    left: Decimal  # what they had left, less than the cost
    budget_left: Decimal | None  # what was left of the budget for it after the equal shares
    completion_turn: bool  # budget_left is what the completion had left when it came to this project


@dataclass(frozen=True)
class Story:
    rule: str
    money: MoneyLeft
    share: Decimal | None = None  # each voter's equal share (MES rules)
    plain_share: Decimal | None = None  # budget / voters, when the rule raised the shares above it
    losses: list[Loss] = field(default_factory=list)


def story(
    result: Result, budget_amount: Decimal, by_code: dict[str, Project], votes: dict[str, int]
) -> Story:
    funded = [by_code[c] for c in result.funded if c in by_code]
    used = sum((p.cost for p in funded), Decimal(0))
    funded_codes = {p.code for p in funded}
    unfunded = [p for code, p in by_code.items() if code not in funded_codes]
    left = max(budget_amount - used, Decimal(0))
    cheapest = min(unfunded, key=lambda p: (p.cost, p.order, p.pk), default=None)
    money = MoneyLeft(
        amount=left,
        cheapest=cheapest,
        alone=len(unfunded) == 1,
        stopped_early=cheapest is not None and cheapest.cost <= left and result.rule in STOPS_EARLY,
    )
    details = result.details if isinstance(result.details, dict) else {}
    rows = details.get("mes")
    if result.rule not in MES_RULES or not isinstance(rows, dict):
        return Story(rule=result.rule, money=money)
    share = _amount(details.get("share"))
    plain = _amount(budget_amount / result.voters) if result.voters else None
    least_funded = min((votes.get(p.code, 0) for p in funded), default=None)
    popular = sorted(
        (p for p in unfunded if least_funded is not None and votes.get(p.code, 0) > least_funded),
        key=lambda p: (-votes.get(p.code, 0), p.order, p.pk),
    )
    losses = []
    for project in popular[:MAX_LOSSES]:
        row = rows.get(project.code)
        if isinstance(row, dict):
            losses.append(_loss(project, votes.get(project.code, 0), row, by_code, result.rule, left))
    return Story(
        rule=result.rule,
        money=money,
        share=share,
        plain_share=plain if plain is not None and plain != share else None,
        losses=losses,
    )


def _loss(
    project: Project, votes: int, row: dict, by_code: dict[str, Project], rule: str, left: Decimal
) -> Loss:
    spent_on = [
        (by_code[str(code)], _amount(amount))
        for code, amount in row.get("spent_on") or []
        if str(code) in by_code
    ]
    spent, had_left = _amount(row.get("spent")), _amount(row.get("available"))
    elsewhere = spent - sum((amount for _p, amount in spent_on), Decimal(0))
    turn = row.get("budget_left")
    if turn is not None:
        budget_left: Decimal | None = _amount(turn)
    else:
        # No completion ran: nothing that was not funded fits in what the budget has left.
        budget_left = left if rule == "mes-add1" else None
    return Loss(
        project=project,
        votes=votes,
        supporters=int(row.get("supporters") or votes),
        shares=spent + had_left,
        spent=spent,
        spent_on=spent_on,
        # Beyond the rounding of the named amounts, some of it went to other projects too.
        spent_elsewhere=elsewhere if elsewhere > len(spent_on) else Decimal(0),
        left=had_left,
        budget_left=budget_left,
        completion_turn=turn is not None,
    )
