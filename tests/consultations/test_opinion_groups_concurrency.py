"""One person voting on one statement from many tabs at once leaves one vote: real threads, real
transactions; the unique constraint decides and the losing insert becomes an update (SQLite on a file,
and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from gorod.accounts.models import User
from gorod.consultations.errors import Refused
from gorod.consultations.opinion_groups.models import StatementVote
from gorod.consultations.opinion_groups.services import statement_add, vote_cast
from gorod.consultations.services import module_add
from tests.consultations.test_contribution_concurrency import N, hammer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]


def test_parallel_votes_by_one_person_leave_one_vote(make_project, citizen, request):
    phase = make_project(state="open", slug="square").phase_list()[0]
    module = module_add(phase=phase, kind="opinion_groups", title="Square")
    statement = statement_add(module=module, user=citizen, text="More trees on the square")
    voter = User.objects.create_user(username="v", password="x-pass-12345", role=User.Role.CITIZEN)
    request.getfixturevalue("real_database")
    choices, lock = iter([1, -1, 0] * N), threading.Lock()

    def press() -> StatementVote:
        with lock:  # a generator is not thread-safe; the votes themselves race
            choice = next(choices)
        return vote_cast(statement=statement, user=voter, choice=choice)

    outcomes = hammer(press)
    unexpected = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, Refused)]
    assert not unexpected, unexpected[:3]
    assert sum(isinstance(o, StatementVote) for o in outcomes) == N  # each press counted, none failed
    assert StatementVote.objects.filter(statement=statement, user=voter).count() == 1
