"""Voting credentials that cannot be hijacked or enumerated (issue 9, item 1): a census number votes only
with the second secret the city holds (date of birth and/or a document's last digits); every failure of
a census number or a printed code gets one answer; failures are throttled per number and per client;
a re-vote must come from the same person."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gorod.budgeting import keys
from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.eligibility.codes import codes_generate, new_code
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Ballot, CensusEntry, Receipt
from gorod.budgeting.services import ballot_cast
from gorod.core import clock

pytestmark = pytest.mark.usefixtures("english")

NOT_CONFIRMED = "We could not confirm your right to vote with these details"
CENSUS = (
    "identifier,district,birth_date,document\n"
    "N-1,north,1990-01-01,4510 123456\nS-1,south,1985-07-30,4511 654321\n"
)


@pytest.fixture
def voting(make_process, on_ballot, census, districts):
    process = make_process(max_choices=2, allow_codes=True, census_secret="birth_date")
    on_ballot(process, [("1", 100, None), ("2", 200, None), ("n1", 100, districts["north"])])
    census(process, CENSUS)
    return process


def post(client, process, scope="city", remote="198.51.100.1", **fields):
    data = {"project": ["1"], **fields}
    return client.post(f"/pb/{process.slug}/vote/{scope}/", data, REMOTE_ADDR=remote)


def counted(process, receipt: str) -> bool:
    return Receipt.objects.filter(receipt_hash=keys.receipt_hash(receipt), ballot__isnull=False).exists()


def receipt_of(client, response) -> str:
    page = client.get(response["Location"]).content.decode()
    return re.search(r'id="receipt-code">([A-Z0-9-]+)<', page).group(1)


# --- hijack -------------------------------------------------------------------------------------------


def test_a_stranger_with_only_the_number_cannot_replace_the_ballot(client, en_client, voting):
    owner = post(en_client, voting, project=["1"], identifier="N-1", birth_date="1990-01-01")
    assert owner.status_code == 302
    receipt = receipt_of(en_client, owner)
    for attempt in ({"identifier": "N-1"}, {"identifier": "N-1", "birth_date": "1990-01-02"}):
        stranger = post(client, voting, project=["2"], remote="203.0.113.9", **attempt)
        assert stranger.status_code == 400
    assert Ballot.objects.get(process=voting).choices == ["1"]
    assert counted(voting, receipt)


def test_the_owner_can_still_change_the_ballot(en_client, voting):
    first = post(en_client, voting, project=["1"], identifier="N-1", birth_date="1990-01-01")
    receipt = receipt_of(en_client, first)
    again = post(en_client, voting, project=["2"], identifier="n 1", birth_date="1990-01-01")
    assert again.status_code == 302
    assert Ballot.objects.get(process=voting).choices == ["2"]
    assert not counted(voting, receipt)


def test_a_signed_in_resident_on_the_list_by_email_still_gives_the_secret(
    en_client, make_process, on_ballot, census, django_user_model
):
    process = make_process(budgets=[(None, 1000)])
    on_ballot(process, [("1", 100, None)])
    census(process, "anna@example.org,,2000-02-29\n")
    user = django_user_model.objects.create_user(username="anna", password="x-pass-12345")
    user.email, user.email_verified = "anna@example.org", True
    user.save()
    en_client.force_login(user)
    assert post(en_client, process).status_code == 400
    assert post(en_client, process, birth_date="2000-02-28").status_code == 400
    assert post(en_client, process, birth_date="2000-02-29").status_code == 302


def test_a_document_secret_votes_and_the_age_is_then_attested_by_the_list(make_process, on_ballot, census):
    process = make_process(budgets=[(None, 1000)], census_secret="document", min_age=18)
    on_ballot(process, [("1", 100, None)])
    census(process, "D-1,,,4510 123456\n")
    with pytest.raises(Refused, match=NOT_CONFIRMED):
        cast(process, Credentials(identifier="D-1", document="9999"))
    cast(process, Credentials(identifier="D-1", document="3456"))
    cast(process, Credentials(identifier="D-1", document="45-10-123456"))  # the whole number is fine too
    assert Ballot.objects.filter(process=process).count() == 1


def test_both_secrets_are_needed_when_the_city_asks_for_both(make_process, on_ballot, census):
    process = make_process(budgets=[(None, 1000)], census_secret="both")
    on_ballot(process, [("1", 100, None)])
    census(process, "B-1,,1990-01-01,123456\n")
    with pytest.raises(Refused):
        cast(process, Credentials(identifier="B-1", birth_date="1990-01-01"))
    with pytest.raises(Refused, match=NOT_CONFIRMED):
        cast(process, Credentials(identifier="B-1", birth_date="1990-01-01", document="0000"))
    cast(process, Credentials(identifier="B-1", birth_date="1990-01-01", document="3456"))


def cast(process, credentials, district=None, choices=("1",)):
    return ballot_cast(process=process, credentials=credentials, district=district, choices=list(choices))


# --- one answer ---------------------------------------------------------------------------------------


def _answer(client, process, scope, remote, fields) -> tuple[int, str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = post(client, process, scope=scope, remote=remote, project=["999999"], **fields)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return response.status_code, html, len(queries)


def test_every_census_failure_gets_the_same_answer(en_client, voting, districts):
    probes = [
        {"identifier": "NOBODY", "birth_date": "1990-01-01"},  # not on the list
        {"identifier": "N-1", "birth_date": "1990-01-02"},  # wrong secret
        {"identifier": "S-1", "birth_date": "1985-07-30"},  # another district's resident
        {"identifier": "S-1", "birth_date": "1990-01-01"},  # another district, wrong secret
    ]
    answers = [_answer(en_client, voting, "north", f"198.51.100.{i}", p) for i, p in enumerate(probes)]
    status, html, _queries = answers[0]
    assert status == 400 and NOT_CONFIRMED in html
    assert "south" not in html.lower() and "999999" not in html
    assert all(a == answers[0] for a in answers), "a failure must not tell what failed"


def test_every_code_failure_gets_the_same_answer(en_client, voting, districts, citizen):
    [used] = codes_generate(process=voting, count=1)
    [other_district] = codes_generate(process=voting, count=1, district=districts["south"])
    cast(voting, Credentials(code=used))
    probes = [{"code": new_code()}, {"code": used}, {"code": other_district}]
    answers = [_answer(en_client, voting, "north", f"198.51.100.{i}", p) for i, p in enumerate(probes)]
    assert answers[0][0] == 400 and NOT_CONFIRMED in answers[0][1]
    assert all(a == answers[0] for a in answers)


def test_codes_are_long_enough_not_to_be_guessed():
    import math

    from gorod.budgeting.eligibility.codes import ALPHABET

    symbols = len(new_code().replace("-", ""))
    assert symbols * math.log2(len(ALPHABET)) >= 64


# --- throttling ---------------------------------------------------------------------------------------


@pytest.fixture
def limits(settings):
    settings.GOROD_RATE_LIMITS_ENABLED = True
    settings.GOROD_RATE_LIMITS = {"vote-failed-identifier": "3/h", "vote-failed-client": "5/h"}
    return settings


def test_failures_are_throttled_per_number_from_any_address(en_client, voting, limits, frozen_spring):
    for i in range(3):
        guess = f"1990-02-0{i + 1}"
        assert (
            post(en_client, voting, remote=f"203.0.113.{i}", identifier="N-1", birth_date=guess).status_code
            == 400
        )
    # Even the right secret from a fresh address waits now: the number is under attack.
    refused = post(en_client, voting, remote="192.0.2.50", identifier="N-1", birth_date="1990-01-01")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert not Ballot.objects.exists()
    # Another number is not held up, and the owner votes once the window has passed.
    assert (
        post(en_client, voting, remote="192.0.2.51", identifier="S-1", birth_date="1985-07-30").status_code
        == 302
    )
    with clock.frozen(frozen_spring + dt.timedelta(hours=1)):
        owner = post(en_client, voting, remote="192.0.2.50", identifier="N-1", birth_date="1990-01-01")
    assert owner.status_code == 302


def test_failures_are_throttled_per_client(en_client, voting, limits):
    for i in range(5):
        guess = {"identifier": f"GUESS-{i}", "birth_date": "1990-01-01"}
        assert post(en_client, voting, remote="203.0.113.7", **guess).status_code == 400
    limited = post(en_client, voting, remote="203.0.113.7", identifier="N-1", birth_date="1990-01-01")
    assert limited.status_code == 429 and limited.has_header("Retry-After")
    assert (
        post(en_client, voting, remote="203.0.113.8", identifier="N-1", birth_date="1990-01-01").status_code
        == 302
    )


def test_code_guessing_is_throttled_per_client(en_client, voting, limits):
    [code] = codes_generate(process=voting, count=1)
    for _i in range(5):
        assert post(en_client, voting, remote="203.0.113.7", code=new_code()).status_code == 400
    assert post(en_client, voting, remote="203.0.113.7", code=code).status_code == 429
    assert post(en_client, voting, remote="203.0.113.8", code=code).status_code == 302


def test_failures_are_limited_unless_a_deployment_says_otherwise(settings):
    from gorod.core import ratelimit

    for scope in ("vote-failed-client", "vote-failed-identifier"):
        assert ratelimit.parse(settings.GOROD_RATE_LIMITS[scope]).count >= 1


def test_successful_votes_are_not_counted_as_failures(en_client, voting, limits):
    for choice in ("1", "2", "1", "2", "1", "2", "1"):
        response = post(en_client, voting, project=[choice], identifier="N-1", birth_date="1990-01-01")
        assert response.status_code == 302


# --- what is stored -----------------------------------------------------------------------------------


def test_a_missing_secret_is_asked_for_without_looking_anything_up(en_client, voting, limits):
    with CaptureQueriesContext(connection) as queries:
        response = post(en_client, voting, identifier="N-1")
    assert response.status_code == 400 and "Enter your date of birth" in response.content.decode()
    assert not any("censusentry" in q["sql"] for q in queries.captured_queries)


def test_the_secrets_are_stored_only_as_keyed_hashes(voting):
    stored = list(CensusEntry.objects.filter(process=voting).values())
    # The 64-hex-digit keyed hashes are random to the eye and may spell a digit run by chance: look
    # for the clear values everywhere else.
    text = re.sub(r"'[0-9a-f]{64}'", "'<hash>'", repr(stored))
    assert text.count("'<hash>'") == 3 * len(stored)  # identifier, birth date and document, each hashed
    for clear in ("1990", "01-01", "123456", "3456", "4510"):
        assert clear not in text
    entry = CensusEntry.objects.get(process=voting, identifier_hash=keys.census_hash(voting, "N-1"))
    assert len(entry.birth_hash) == 64 and len(entry.document_hash) == 64
    assert not any(f.name == "birth_date" for f in CensusEntry._meta.fields)
