"""Census upload: only keyed hashes kept; a bad row refuses the whole file."""

from __future__ import annotations

import pytest

from gorod.budgeting import keys
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import CensusEntry

pytestmark = pytest.mark.usefixtures("english")


def test_only_keyed_hashes_are_kept(make_process, census):
    process = make_process()
    assert (
        census(process, "identifier,district,birth_date\n123-456-789 01,north,1980-02-03\nAB77,south,\n") == 2
    )
    hashes = set(CensusEntry.objects.values_list("identifier_hash", flat=True))
    assert hashes == {keys.census_hash(process, "12345678901"), keys.census_hash(process, "ab77")}
    other = make_process()
    assert keys.census_hash(other, "AB77") not in hashes  # salted per process
    raw = CensusEntry.objects.filter(identifier_hash=keys.census_hash(process, "12345678901")).values_list(
        "birth_date", flat=True
    )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("select birth_date from budgeting_censusentry where birth_date <> ''")
        stored = [r[0] for r in cur.fetchall()]
    assert list(raw) == ["1980-02-03"] and "1980" not in stored[0]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("A,atlantis,\n", "unknown district"),
        ("A,north,13/01/1990\n", "YYYY-MM-DD"),
        ("A,north,\na,north,\n", "repeats"),
        (",north,\n", "no identifier"),
    ],
)
def test_bad_rows_refuse_the_file(make_process, census, rows, message):
    process = make_process()
    with pytest.raises(Refused, match=message):
        census(process, "GOOD,north,\n" + rows)
    assert not CensusEntry.objects.filter(process=process).exists()


def test_second_upload_adds_or_replaces(make_process, census):
    process = make_process()
    census(process, "A,north,\n")
    with pytest.raises(Refused, match="already"):
        census(process, "A,north,\n")
    census(process, "B,north,\n")
    assert CensusEntry.objects.filter(process=process).count() == 2
    census(process, "C,south,\n", replace=True)
    assert CensusEntry.objects.filter(process=process).count() == 1
