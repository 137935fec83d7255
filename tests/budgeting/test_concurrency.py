"""50 parallel submissions for one voter leave exactly one counted ballot; one code used 50 times at once
votes once. Real threads and real transactions (run on SQLite and on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import translation

from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.eligibility.codes import codes_generate
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Ballot, Receipt, VoterRoll
from gorod.budgeting.services import ballot_cast
from tests.helpers import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]
N = 50


def hammer(process, credentials_for, choices_for):
    barrier = threading.Barrier(N)
    outcomes: list = [None] * N

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                outcomes[i] = ballot_cast(
                    process=process, credentials=credentials_for(i), district=None, choices=choices_for(i)
                )
        except Refused as exc:
            outcomes[i] = exc
        except Exception as exc:
            outcomes[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    wait_for(
        lambda: not any(t.is_alive() for t in threads),
        progress=lambda: sum(o is not None for o in outcomes),
        what="the parallel ballots",
    )
    return outcomes


def test_fifty_parallel_revotes_leave_one_ballot(make_process, on_ballot, census, request):
    process = make_process(max_choices=3)
    on_ballot(process, [("1", 100, None), ("2", 100, None), ("3", 100, None)])
    census(process, "P-1,north,1990-01-01\n")
    request.getfixturevalue("real_database")
    options = [["1"], ["2"], ["3"], ["1", "2"], ["2", "3"]]
    outcomes = hammer(
        process,
        lambda i: Credentials(identifier="P-1", birth_date="1990-01-01"),
        lambda i: options[i % len(options)],
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert not errors, errors[:3]
    assert Ballot.objects.filter(process=process).count() == 1
    assert VoterRoll.objects.filter(process=process).count() == 1
    assert Receipt.objects.filter(process=process).count() == N
    assert Receipt.objects.filter(process=process, ballot__isnull=False).count() == 1
    assert sum(1 for o in outcomes if not o.replaced) == 1
    assert VoterRoll.objects.get(process=process).ballot_id == Ballot.objects.get(process=process).pk


def test_fifty_parallel_uses_of_one_code_vote_once(make_process, on_ballot, request):
    process = make_process(allow_census=False, allow_codes=True)
    on_ballot(process, [("1", 100, None)])
    [code] = codes_generate(process=process, count=1)
    request.getfixturevalue("real_database")
    outcomes = hammer(process, lambda i: Credentials(code=code), lambda i: ["1"])
    unexpected = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, Refused)]
    assert not unexpected, unexpected[:3]
    assert sum(1 for o in outcomes if not isinstance(o, Exception)) == 1
    assert all("could not confirm your right to vote" in str(o) for o in outcomes if isinstance(o, Refused))
    assert Ballot.objects.filter(process=process).count() == 1
