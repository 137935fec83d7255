"""Reads of opinion groups: the statement a person votes on next, every statement with their own vote, and
the stored groups in a fixed number of queries. The stored result is shown as computed; statements a
moderator hid since are left out of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from gorod.consultations.contributions import visible_to
from gorod.consultations.opinion_groups.models import (
    Consensus,
    GroupShare,
    OpinionGroup,
    OpinionResult,
    Statement,
    StatementVote,
)


def votable(module) -> QuerySet[Statement]:
    return Statement.objects.filter(module=module, hidden=False, awaiting=False)


def next_statement(module, *, user) -> Statement | None:
    """A statement this person has not voted on yet: the least-voted first, so new statements get seen."""
    statements = votable(module)
    if user.is_authenticated:
        statements = statements.exclude(
            Exists(StatementVote.objects.filter(statement=OuterRef("pk"), user=user.pk))
        )
    return statements.annotate(n=Count("votes")).order_by("n", "created", "pk").first()


def module_statements(module, *, user) -> list[Statement]:
    """Every statement the page lists (hidden ones keep their place with the reason), each with
    `my_vote` (None when not voted) and `vote_count`."""
    statements: list[Statement] = list(
        Statement.objects.filter(module=module)
        .filter(visible_to(user))
        .annotate(vote_count=Count("votes"))
        .order_by("created", "pk")
    )
    mine: dict[int, int] = {}
    if user.is_authenticated:
        mine = dict(
            StatementVote.objects.filter(statement__module=module, user=user.pk).values_list(
                "statement_id", "choice"
            )
        )
    for statement in statements:
        statement.my_vote = mine.get(statement.pk)  # type: ignore[attr-defined]
    return statements


def statement_of(module, pk: int) -> Statement | None:
    return Statement.objects.filter(module=module, pk=pk).select_related("module__phase__project").first()


@dataclass
class Row:
    statement: Statement
    shares: list[GroupShare] = field(default_factory=list)


@dataclass
class Groups:
    result: OpinionResult
    groups: list[OpinionGroup]
    consensus: list[Consensus]
    table: list[Row]


def groups_of(module) -> Groups | None:
    """The stored result with its groups (each with `.representatives`, best first), the consensus
    statements and a statement × group table. Five queries whatever the size."""
    result = OpinionResult.objects.filter(module=module).first()
    if result is None:
        return None
    shown = GroupShare.objects.filter(statement__hidden=False, statement__awaiting=False).select_related(
        "statement"
    )
    groups = list(
        OpinionGroup.objects.filter(result=result).prefetch_related(
            Prefetch("shares", queryset=shown.order_by("statement__created", "statement_id"))
        )
    )
    consensus = list(
        Consensus.objects.filter(result=result, statement__hidden=False, statement__awaiting=False)
        .select_related("statement")
        .order_by("rank")
    )
    rows: dict[int, Row] = {}
    for group in groups:
        shares = list(group.shares.all())
        group.representatives = sorted(  # type: ignore[attr-defined]
            (s for s in shares if s.representative is not None), key=lambda s: s.representative
        )
        for share in shares:
            rows.setdefault(share.statement_id, Row(share.statement)).shares.append(share)
    for row in rows.values():
        _with_rest(row.shares)
    return Groups(result=result, groups=groups, consensus=consensus, table=list(rows.values()))


def _with_rest(shares: list[GroupShare]) -> None:
    """Each share learns how everyone outside its group voted (`rest_agree_pct`, `rest_disagree_pct`)."""
    agree = sum(s.agree for s in shares)
    disagree = sum(s.disagree for s in shares)
    seen = sum(s.seen for s in shares)
    for share in shares:
        rest = seen - share.seen
        share.rest_agree_pct = round(100 * (agree - share.agree) / rest) if rest else 0  # type: ignore[attr-defined]
        share.rest_disagree_pct = round(100 * (disagree - share.disagree) / rest) if rest else 0  # type: ignore[attr-defined]
