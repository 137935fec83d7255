"""Writes of opinion groups. Keyword-only, one transaction each; a refusal raises Refused and changes
nothing. Writing and voting need the phase open (access.require). Every vote marks the module's groups
out of date and wakes the worker (tasks.py) in the same transaction; the groups are never computed in a
request."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gorod.consultations import access
from gorod.consultations.contributions import clean_text, held
from gorod.consultations.errors import Refused
from gorod.consultations.opinion_groups import method
from gorod.consultations.opinion_groups.models import (
    STATEMENT_MAX,
    Choice,
    Consensus,
    GroupShare,
    OpinionGroup,
    OpinionResult,
    RecomputeRequest,
    Statement,
    StatementVote,
)
from gorod.consultations.phases import Action
from gorod.consultations.services.follow import participation_record
from gorod.core import clock

KIND = "opinion_groups"
STATEMENT_MIN = 10
# Votes come in bursts; one computation a little after the burst serves them all.
DEFAULT_DEBOUNCE_S = 20


@transaction.atomic
def statement_add(*, module, user, text: str) -> Statement:
    """The author agrees with their own statement (pol.is): their vote is cast with it."""
    if module.kind != KIND:
        raise Refused(_("This part of the project does not take that."))
    access.require(user=user, module=module, action=Action.CONTRIBUTE)
    text = clean_text(text, field="text", max_length=STATEMENT_MAX, min_length=STATEMENT_MIN)
    if Statement.objects.filter(module=module, text__iexact=text).exists():
        raise Refused(_("This statement is already here: vote on it instead."), field="text")
    statement = Statement.objects.create(
        module=module,
        author=user,
        text=text,
        seeded=bool(user.has_perm("consultations.answer")),
        **held(module),
    )
    StatementVote.objects.create(statement=statement, user=user, choice=Choice.AGREE)
    participation_record(project=module.phase.project, user=user)
    request_recompute(module)
    return statement


@transaction.atomic
def vote_cast(*, statement: Statement, user, choice) -> StatementVote:
    """One vote per person and statement; voting again changes it. Two parallel first votes cannot make
    two rows: the unique constraint refuses the second insert, which then becomes an update."""
    access.require(user=user, module=statement.module, action=Action.VOTE)
    try:
        choice = Choice(int(choice))
    except (TypeError, ValueError) as exc:
        raise Refused(_("Choose agree, disagree or pass."), field="choice") from exc
    if statement.hidden:
        raise Refused(_("This statement is hidden."))
    if statement.awaiting:
        raise Refused(_("This awaits a moderator; it cannot be answered or supported yet."))
    votes = StatementVote.objects.filter(statement=statement, user=user)
    if not votes.update(choice=choice, updated=clock.now()):
        try:
            with transaction.atomic():
                StatementVote.objects.create(statement=statement, user=user, choice=choice)
        except IntegrityError:
            votes.update(choice=choice, updated=clock.now())
    participation_record(project=statement.module.phase.project, user=user)
    request_recompute(statement.module)
    return votes.get()


def request_recompute(module) -> None:
    """Mark the module's groups out of date and, unless a wake-up already waits, enqueue the worker's
    recomputation a few seconds from now (debounced). Called inside the writing transaction: the vote
    and its wake-up are committed together or not at all."""
    from gorod.consultations.opinion_groups import tasks

    now = clock.now()
    if not RecomputeRequest.objects.filter(module=module).update(requested_at=now):
        try:
            with transaction.atomic():
                RecomputeRequest.objects.create(module=module, requested_at=now)
        except IntegrityError:
            RecomputeRequest.objects.filter(module=module).update(requested_at=now)
    task = tasks.recompute_requested
    if DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path).exists():
        return
    delay = float(getattr(settings, "GOROD_OPINION_GROUPS_DEBOUNCE_S", DEFAULT_DEBOUNCE_S))
    # Real time, not core.clock: the worker runs tasks by the wall clock.
    task.using(run_after=timezone.now() + dt.timedelta(seconds=delay)).enqueue()


def _counted(module) -> list[Statement]:
    return list(Statement.objects.filter(module=module, hidden=False, awaiting=False).order_by("pk"))


def groups_recompute(*, module) -> OpinionResult:
    """Read the votes, find the groups (method.compute) and replace the stored result. The reading and the
    computation hold no transaction (on SQLite a long one would block every vote); only the final
    replacement is atomic. Hidden and held statements, and their votes, do not count."""
    started = time.perf_counter()
    statements = _counted(module)
    column = {s.pk: i for i, s in enumerate(statements)}
    rows = np.array(
        list(
            StatementVote.objects.filter(statement__in=[s.pk for s in statements]).values_list(
                "user_id", "statement_id", "choice"
            )
        ),
        dtype=np.int64,
    ).reshape(-1, 3)
    _users, participant = np.unique(rows[:, 0], return_inverse=True)
    if column:
        lookup = np.zeros(max(column) + 1, dtype=np.int64)
        lookup[list(column)] = list(column.values())
        statement_col = lookup[rows[:, 1]]
    else:
        statement_col = rows[:, 1]
    outcome = method.compute(participant, statement_col, rows[:, 2], len(statements))
    return _store(module, statements, outcome, votes=len(rows), users=len(_users), started=started)


@transaction.atomic
def _store(module, statements, outcome, *, votes: int, users: int, started: float) -> OpinionResult:
    OpinionResult.objects.filter(module=module).delete()
    result = OpinionResult.objects.create(
        module=module,
        computed_at=clock.now(),
        participants=users,
        grouped=outcome.grouped if outcome else 0,
        statements=len(statements),
        votes=votes,
        silhouette=outcome.silhouette if outcome else None,
        points=[list(p) for p in outcome.points] if outcome else [],
        seconds=0,
    )
    if outcome is None:
        return result
    shares = []
    for g in range(outcome.k):
        group = OpinionGroup.objects.create(result=result, number=g + 1, size=outcome.sizes[g])
        rank = {rep.statement: (i + 1, rep.direction) for i, rep in enumerate(outcome.representative[g])}
        for j, statement in enumerate(statements):
            rep_rank, direction = rank.get(j, (None, ""))
            shares.append(
                GroupShare(
                    group=group,
                    statement=statement,
                    agree=int(outcome.agree[g, j]),
                    disagree=int(outcome.disagree[g, j]),
                    passed=int(outcome.passed[g, j]),
                    representative=rep_rank,
                    direction=direction,
                )
            )
    GroupShare.objects.bulk_create(shares, batch_size=2000)
    Consensus.objects.bulk_create(
        Consensus(result=result, statement=statements[j], rank=i + 1, score=score)
        for i, (j, score) in enumerate(outcome.consensus)
    )
    result.seconds = time.perf_counter() - started
    OpinionResult.objects.filter(pk=result.pk).update(seconds=result.seconds)
    return result


def recompute_requested() -> int:
    """Recompute every module asked for; a request renewed by a vote during the computation stays for the
    next run. Returns how many modules were computed."""
    done = 0
    for request in list(RecomputeRequest.objects.select_related("module")):
        groups_recompute(module=request.module)
        RecomputeRequest.objects.filter(Q(pk=request.pk) & Q(requested_at__lte=request.requested_at)).delete()
        done += 1
    return done
