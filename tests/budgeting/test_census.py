"""Census upload: only keyed hashes kept (identifiers and their secrets); a bad row refuses the whole file;
dates of birth stored before hashing are migrated to hashes."""

from __future__ import annotations

import re

import pytest

from gorod.budgeting import keys
from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.eligibility.census import verify
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import CensusEntry

pytestmark = pytest.mark.usefixtures("english")


def test_only_keyed_hashes_are_kept(make_process, census):
    process = make_process(census_secret="both")
    assert (
        census(
            process,
            "identifier,district,birth_date,document\n123-456-789 01,north,1980-02-03,4510 778899\n"
            "AB77,south,1999-12-31,0042\n",
        )
        == 2
    )
    hashes = set(CensusEntry.objects.values_list("identifier_hash", flat=True))
    assert hashes == {keys.census_hash(process, "12345678901"), keys.census_hash(process, "ab77")}
    other = make_process()
    assert keys.census_hash(other, "AB77") not in hashes  # salted per process
    digest = keys.census_hash(process, "12345678901")
    entry = CensusEntry.objects.get(identifier_hash=digest)
    assert entry.birth_hash == keys.census_secret_hash(process, digest, "birth", "1980-02-03")
    assert entry.document_hash == keys.census_secret_hash(process, digest, "document", "8899")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("select * from budgeting_censusentry")
        rows = cur.fetchall()
    # Every text a row holds is a 64-hex digest; anything else (ids) is a number. Searching the digests for
    # "0042" would fail by chance one run in a few hundred, so the digests are checked by shape instead.
    texts = [value for row in rows for value in row if isinstance(value, str)]
    assert len(texts) == 3 * len(rows) == 6
    assert all(re.fullmatch(r"[0-9a-f]{64}", text) for text in texts), texts
    others = repr([value for row in rows for value in row if not isinstance(value, str)])
    for clear in ("1980", "02-03", "778899", "8899", "0042", "AB77", "ab77"):
        assert clear not in others


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("A,atlantis,1990-01-01\n", "unknown district"),
        ("A,north,13/01/1990\n", "YYYY-MM-DD"),
        ("A,north,1990-01-01\na,north,1990-01-01\n", "repeats"),
        (",north,1990-01-01\n", "no identifier"),
        ("A,north,\n", "no date of birth"),
        ("A,north,1990-01-01,123\n", "fewer than 4 digits"),
    ],
)
def test_bad_rows_refuse_the_file(make_process, census, rows, message):
    process = make_process()
    with pytest.raises(Refused, match=message):
        census(process, "GOOD,north,1990-01-01\n" + rows)
    assert not CensusEntry.objects.filter(process=process).exists()


def test_a_list_checked_by_document_needs_the_document_in_every_row(make_process, census):
    process = make_process(census_secret="document")
    with pytest.raises(Refused, match="no document number"):
        census(process, "A,north,,1234\nB,north,1990-01-01\n")
    assert census(process, "A,north,,1234\nB,north,1990-01-01,5678\n") == 2


def test_second_upload_adds_or_replaces(make_process, census):
    process = make_process()
    census(process, "A,north,1990-01-01\n")
    with pytest.raises(Refused, match="already"):
        census(process, "A,north,1990-01-01\n")
    census(process, "B,north,1990-01-01\n")
    assert CensusEntry.objects.filter(process=process).count() == 2
    census(process, "C,south,1990-01-01\n", replace=True)
    assert CensusEntry.objects.filter(process=process).count() == 1


@pytest.mark.django_db(transaction=True)
def test_stored_dates_of_birth_are_migrated_to_keyed_hashes():
    """The migration that ends clear (encrypted) dates of birth: an entry that had one votes with it
    afterwards; one without has no secret and votes only once it is uploaded again."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("budgeting", "0001_initial")], [("budgeting", "0002_census_secrets_hashed")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        # Only budgeting goes back in time: the city tables stay as they are now, so the city is made with
        # today's model (the historical one would miss columns other apps' migrations added since).
        from gorod.city.models import Municipality

        town = Municipality.objects.create(
            name="Town", slug="town-migration", jurisdiction_id="town.example", center_lat=0, center_lon=0
        )
        process = old.get_model("budgeting", "Process").objects.create(
            municipality_id=town.pk, slug="old", title="Old", salt="5a17"
        )
        entry = old.get_model("budgeting", "CensusEntry")
        entry.objects.create(
            process=process, identifier_hash=keys.census_hash(process, "OLD-1"), birth_date="1970-04-05"
        )
        entry.objects.create(
            process=process, identifier_hash=keys.census_hash(process, "OLD-2"), birth_date=""
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    from gorod.budgeting.models import Process

    migrated = Process.objects.get(slug="old")
    assert migrated.census_secret == "birth_date"
    assert verify(migrated, Credentials(identifier="OLD-1", birth_date="1970-04-05"), None).method == "census"
    for ident, born in (("OLD-1", "1970-04-06"), ("OLD-2", "1970-04-05")):
        with pytest.raises(Refused):
            verify(migrated, Credentials(identifier=ident, birth_date=born), None)
