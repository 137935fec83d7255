"""Open data in bounded memory (issue 13, item 8): ballot files are written from a chunked cursor and are
byte for byte what the results page's download gives; the performance figures read their rows in chunks
and count the same as reading them at once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from gorod.analytics import performance
from gorod.budgeting import exchange, pabulib
from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.models import Process
from gorod.budgeting.services import ballot_cast
from tests.analytics.conftest import at
from tests.budgeting.conftest import census, districts, english, make_process, on_ballot  # noqa: F401
from tests.pabulib_files import PABULIB_DIR


def streamed(process, district=None) -> tuple[str, int]:
    data, votes = exchange.scope_file_streaming(process, district)
    out = io.StringIO()
    n = pabulib.dump(data, out, votes)
    return out.getvalue(), n


def test_gorod_ballots_stream_in_receipt_order_as_the_download_has_them(
    make_process,  # noqa: F811
    on_ballot,  # noqa: F811
    census,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(exchange, "CHUNK", 2)  # several chunks even for a handful of ballots
    process = make_process(ballot_kind=Process.BallotKind.CUMULATIVE, points_total=5, points_per_project=3)
    on_ballot(process, [("1", 100, None), ("2", 200, None)])
    voters = "ABCDE"
    census(process, "".join(f"{v},,1990-01-01\n" for v in voters))
    for i, voter in enumerate(voters):
        choices, points = (["1"], [3]) if i % 2 else (["1", "2"], [1, 2])
        ballot_cast(
            process=process,
            credentials=Credentials(identifier=voter, birth_date="1990-01-01"),
            district=None,
            choices=choices,
            points=points,
        )
    text, n = streamed(process)
    assert n == 5 and text == exchange.export_text(process)
    assert pabulib.parse(text).projects["1"].fields["votes"] == "5"


@pytest.mark.usefixtures("english")
def test_imported_ballots_stream_with_their_own_voter_ids_and_columns(city, monkeypatch):
    monkeypatch.setattr(exchange, "CHUNK", 3)
    path = sorted(PABULIB_DIR.glob("*.pb"))[0]
    call_command("pb_import", str(path), stdout=io.StringIO())
    process = Process.objects.get()
    text, n = streamed(process)
    assert text == exchange.export_text(process)
    assert n == len(pabulib.load(path).votes)


def test_performance_counts_the_same_in_small_chunks(history, monkeypatch):
    first, last = at("2026-05-01").date(), at("2026-05-31").date()
    whole = performance.compute(history["A"].municipality, first, last)
    monkeypatch.setattr(performance, "CHUNK", 1)
    chunked = performance.compute(history["A"].municipality, first, last)
    assert chunked == whole and whole.totals.resolved == 4
