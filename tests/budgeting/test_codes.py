"""One-time voting codes: stored hashed, spent by the ballot they cast, refused when reused."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gorod.budgeting import keys
from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.eligibility.codes import codes_generate
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Ballot, VotingCode
from gorod.budgeting.services import ballot_cast

pytestmark = pytest.mark.usefixtures("english")
NOT_CONFIRMED = "could not confirm your right to vote"


@pytest.fixture
def coded(make_process, on_ballot, districts):
    process = make_process(allow_census=False, allow_codes=True)
    on_ballot(process, [("1", 100, None), ("n1", 100, districts["north"])])
    return process


def vote(process, code, user=None, district=None, choices=("1",)):
    return ballot_cast(
        process=process,
        credentials=Credentials(code=code, user=user),
        district=district,
        choices=list(choices),
    )


def test_codes_are_stored_only_as_keyed_hashes(coded):
    codes = codes_generate(process=coded, count=5)
    assert len(set(codes)) == 5
    stored = set(VotingCode.objects.filter(process=coded).values_list("code_hash", flat=True))
    assert stored == {keys.code_hash(coded, c) for c in codes}
    assert not any(c in h or c.replace("-", "") in h for c in codes for h in stored)


def test_a_code_votes_once_and_reuse_is_refused(coded):
    [code] = codes_generate(process=coded, count=1)
    vote(coded, code)
    with pytest.raises(Refused, match=NOT_CONFIRMED):
        vote(coded, code.lower())
    assert Ballot.objects.filter(process=coded).count() == 1


def test_the_account_that_spent_a_code_may_change_its_ballot(coded, citizen, django_user_model):
    [code] = codes_generate(process=coded, count=1)
    vote(coded, code, user=citizen, choices=["1"])
    assert vote(coded, code, user=citizen, choices=["1"]).replaced
    other = django_user_model.objects.create_user(username="other", password="x-pass-12345")
    with pytest.raises(Refused, match=NOT_CONFIRMED):
        vote(coded, code, user=other)
    assert Ballot.objects.filter(process=coded).count() == 1


def test_a_refused_ballot_does_not_spend_the_code(coded):
    [code] = codes_generate(process=coded, count=1)
    with pytest.raises(Refused):
        vote(coded, code, choices=["nope"])
    assert VotingCode.objects.get(process=coded).used is None
    vote(coded, code)


def test_code_district_decides_residency(coded, districts):
    [north] = codes_generate(process=coded, count=1, district=districts["north"])
    [city] = codes_generate(process=coded, count=1)
    with pytest.raises(Refused, match=NOT_CONFIRMED):
        vote(coded, city, district=districts["north"], choices=["n1"])
    vote(coded, north, district=districts["north"], choices=["n1"])


def test_unknown_code_is_refused(coded):
    with pytest.raises(Refused, match=NOT_CONFIRMED):
        vote(coded, "AAAA-BBBB-CCCC-DDDD")


def test_batch_size_is_bounded(coded):
    with pytest.raises(Refused):
        codes_generate(process=coded, count=0)


def test_pb_codes_prints_a_batch_once(coded):
    out = io.StringIO()
    call_command("pb_codes", coded.slug, "--count", "3", "--district", "north", stdout=out)
    printed = out.getvalue().split()
    assert len(printed) == 3
    assert VotingCode.objects.filter(process=coded, district__slug="north").count() == 3
    with pytest.raises(CommandError):
        call_command("pb_codes", coded.slug, "--count", "3", "--district", "atlantis")
    with pytest.raises(CommandError):
        call_command("pb_codes", "no-such-process", "--count", "3")
