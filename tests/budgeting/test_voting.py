"""Casting ballots: each kind's limits, residency, age, the vote window, re-votes and receipts. Every
refusal leaves the database as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.budgeting import keys
from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Ballot, Process, Receipt, VoterRoll
from gorod.budgeting.services import ballot_cast, process_update
from gorod.core import clock

pytestmark = pytest.mark.usefixtures("english")

BORN = {
    "n1": "1990-01-01",
    "n2": "1991-03-04",
    "s1": "2000-05-01",
    "kid": "2015-01-01",
    "c1": "1980-07-08",
    "nobody": "1990-01-01",
}
CENSUS = (
    "identifier,district,birth_date\nN-1,north,1990-01-01\nN-2,north,1991-03-04\nS-1,south,2000-05-01\n"
    "KID,north,2015-01-01\nC-1,,1980-07-08\n"
)
NOT_CONFIRMED = "could not confirm your right to vote"


def snapshot(process):
    return (
        Ballot.objects.filter(process=process).count(),
        VoterRoll.objects.filter(process=process).count(),
        Receipt.objects.filter(process=process).count(),
    )


@pytest.fixture
def approval(make_process, on_ballot, districts, census):
    process = make_process(ballot_kind=Process.BallotKind.APPROVAL, min_choices=1, max_choices=2)
    on_ballot(process, [("1", 100, None), ("2", 200, None), ("3", 300, None)])
    on_ballot(
        process,
        [("n1", 100, districts["north"]), ("n2", 450, districts["north"]), ("s1", 100, districts["south"])],
    )
    census(process, CENSUS)
    return process


def cast(process, ident="N-1", district=None, choices=("1",), points=None, **cred):
    cred.setdefault("birth_date", BORN.get(keys.normalize_identifier(ident), ""))
    return ballot_cast(
        process=process,
        credentials=Credentials(identifier=ident, **cred),
        district=district,
        choices=list(choices),
        points=points,
    )


def test_a_resident_votes_and_gets_a_receipt_that_is_counted(approval):
    result = cast(approval, choices=["1", "2"])
    assert not result.replaced
    receipt = Receipt.objects.get(receipt_hash=keys.receipt_hash(result.receipt))
    assert receipt.ballot.choices == ["1", "2"]
    assert receipt.ballot.cast_hour.minute == 0 and receipt.ballot.cast_hour.second == 0
    # The ballot holds no identity: only its content and the hour.
    assert {f.name for f in Ballot._meta.fields} == {
        "id",
        "process",
        "district",
        "choices",
        "points",
        "cast_hour",
        "voter_label",
        "extra",
    }


def test_revote_replaces_the_ballot_and_the_old_receipt_shows_replaced(approval):
    first = cast(approval, choices=["1"])
    second = cast(approval, choices=["2", "3"])
    assert second.replaced
    assert Ballot.objects.filter(process=approval).count() == 1
    assert Ballot.objects.get(process=approval).choices == ["2", "3"]
    assert Receipt.objects.get(receipt_hash=keys.receipt_hash(first.receipt)).ballot is None
    assert Receipt.objects.get(receipt_hash=keys.receipt_hash(second.receipt)).ballot is not None


def test_identifier_typed_differently_is_the_same_voter(approval):
    cast(approval, ident="N-1")
    again = cast(approval, ident=" n 1 ")
    assert again.replaced


def test_city_and_district_ballots_are_separate(approval, districts):
    cast(approval, choices=["1"])
    district_vote = cast(approval, district=districts["north"], choices=["n1"])
    assert not district_vote.replaced
    assert Ballot.objects.filter(process=approval).count() == 2


@pytest.mark.parametrize(
    ("ident", "district_slug", "choices", "message"),
    [
        ("S-1", "north", ["n1"], NOT_CONFIRMED),
        ("C-1", "north", ["n1"], NOT_CONFIRMED),
        ("NOBODY", None, ["1"], NOT_CONFIRMED),
        ("", None, ["1"], "could not confirm"),
        ("KID", None, ["1"], "age of 16"),
        ("N-1", None, [], "at least 1 project"),
        ("N-1", None, ["1", "2", "3"], "at most 2 projects"),
        ("N-1", None, ["1", "1"], "twice"),
        ("N-1", None, ["99"], "not on the ballot"),
        ("N-1", None, ["n1"], "another district"),
        ("N-1", "north", ["s1"], "another district"),
        ("N-1", "north", ["1"], "another district"),
    ],
)
def test_refusals_change_nothing(approval, districts, ident, district_slug, choices, message):
    before = snapshot(approval)
    with pytest.raises(Refused, match=message):
        cast(
            approval,
            ident=ident,
            district=districts.get(district_slug) if district_slug else None,
            choices=choices,
        )
    assert snapshot(approval) == before


def test_refused_revote_keeps_the_counted_ballot(approval):
    cast(approval, choices=["1"])
    with pytest.raises(Refused):
        cast(approval, choices=["1", "2", "3"])
    assert Ballot.objects.get(process=approval).choices == ["1"]


def test_vote_after_closing_is_refused(approval):
    ballot_phase = approval.phases.get(kind="ballot")
    with clock.frozen(ballot_phase.ends + dt.timedelta(minutes=1)), pytest.raises(Refused, match="closed"):
        cast(approval)
    with (
        clock.frozen(ballot_phase.starts - dt.timedelta(minutes=1)),
        pytest.raises(Refused, match="not opened"),
    ):
        cast(approval)
    assert snapshot(approval) == (0, 0, 0)


def test_rules_freeze_when_voting_opens(approval):
    with pytest.raises(Refused, match="frozen"):
        process_update(process=approval, max_choices=3)
    # Words may still be corrected.
    process_update(process=approval, title="Новое название")
    cast(approval)
    approval.refresh_from_db()
    assert approval.frozen


def test_rules_are_editable_before_voting(make_process):
    process = make_process(phase="review")
    process_update(process=process, max_choices=4, ballot_kind=Process.BallotKind.CUMULATIVE)
    process.refresh_from_db()
    assert process.max_choices == 4


def test_knapsack_limits(make_process, on_ballot, census):
    process = make_process(
        ballot_kind=Process.BallotKind.KNAPSACK, min_spend_percent=50, budgets=[(None, 1000)]
    )
    on_ballot(process, [("1", 600, None), ("2", 300, None), ("3", 200, None)])
    census(process, CENSUS)
    with pytest.raises(Refused, match="more than the budget"):
        cast(process, choices=["1", "2", "3"])
    with pytest.raises(Refused, match="spend at least"):
        cast(process, choices=["2"])
    cast(process, choices=["1", "2"])
    assert Ballot.objects.get(process=process).choices == ["1", "2"]


def test_cumulative_limits(make_process, on_ballot, census):
    process = make_process(
        ballot_kind=Process.BallotKind.CUMULATIVE,
        points_total=5,
        points_per_project=3,
        budgets=[(None, 1000)],
    )
    on_ballot(process, [("1", 600, None), ("2", 300, None), ("3", 200, None)])
    census(process, CENSUS)
    with pytest.raises(Refused, match="at most 3 points"):
        cast(process, choices=["1"], points=[4])
    with pytest.raises(Refused, match="5 points"):
        cast(process, choices=["1", "2"], points=[3, 3])
    with pytest.raises(Refused, match="from 1"):
        cast(process, choices=["1"], points=[0])
    with pytest.raises(Refused, match="its points"):
        cast(process, choices=["1", "2"], points=[1])
    cast(process, choices=["1", "3"], points=[3, 2])
    ballot = Ballot.objects.get(process=process)
    assert ballot.choices == ["1", "3"] and ballot.points == [3, 2]


def test_ranked_needs_the_fixed_length(make_process, on_ballot, census):
    process = make_process(ballot_kind=Process.BallotKind.RANKED, ranked_length=2, budgets=[(None, 1000)])
    on_ballot(process, [("1", 600, None), ("2", 300, None), ("3", 200, None)])
    census(process, CENSUS)
    with pytest.raises(Refused, match="exactly 2"):
        cast(process, choices=["1"])
    with pytest.raises(Refused, match="exactly 2"):
        cast(process, choices=["1", "2", "3"])
    cast(process, choices=["3", "1"])
    assert Ballot.objects.get(process=process).choices == ["3", "1"]


def test_birth_date_from_census_is_checked_on_the_vote_day(make_process, on_ballot, census):
    process = make_process(min_age=18, budgets=[(None, 1000)])
    on_ballot(process, [("1", 100, None)])
    # 18 the day after the frozen test day (2026-05-13), then on that day.
    census(process, "T-1,,2008-05-14\nT-2,,2008-05-13\n")
    with pytest.raises(Refused, match="age of 18"):
        cast(process, ident="T-1", birth_date="2008-05-14")
    cast(process, ident="T-2", birth_date="2008-05-13")
