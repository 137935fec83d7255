"""The election a tally reads from the database is the one the Pabulib file describes (which the tally
tests hold equal to pabutools), for every shared file and for ballots of every kind cast in Gorod."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.management import call_command

from gorod.budgeting import ballot_box, exchange, pabulib
from gorod.budgeting.models import Ballot, Budget, Process
from gorod.budgeting.tally import Election, ElectionError, election_from_pabulib
from tests.pabulib_files import PABULIB_DIR

FILES = sorted(PABULIB_DIR.glob("*.pb"))


def shape(election: Election) -> tuple:
    return (
        election.project_ids,
        election.costs.tolist(),
        election.budget,
        election.scale,
        election.kind,
        election.rank_length,
    )


def ballots(election: Election) -> list[tuple]:
    """The ballots as (project ids, points), in a fixed order: the file and the database may list
    Gorod's ballots in different orders (the export orders them by receipt)."""
    out = []
    for i in range(election.n_voters):
        lo, hi = election.indptr[i], election.indptr[i + 1]
        ids = tuple(election.project_ids[j] for j in election.indices[lo:hi])
        points = tuple(election.points[lo:hi].tolist()) if election.points is not None else None
        out.append((ids, points))
    return sorted(out, key=repr)


def from_database(process: Process, district=None) -> Election:
    budget = Budget.objects.get(process=process, district=district)
    found = ballot_box.scope_election(process, budget)
    assert found is not None
    return found.election


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem[:40])
def test_an_imported_file_is_read_back_array_for_array(city, path):
    call_command("pb_import", str(path), stdout=io.StringIO())
    ours = from_database(Process.objects.get())
    theirs = election_from_pabulib(pabulib.load(path))
    assert shape(ours) == shape(theirs)
    assert np.array_equal(ours.indptr, theirs.indptr) and np.array_equal(ours.indices, theirs.indices)
    assert (ours.points is None) == (theirs.points is None)
    if ours.points is not None:
        assert np.array_equal(ours.points, theirs.points)


KIND_BALLOTS = {
    "approval": ([["1", "2"], ["3"], ["2", "3"]], None),
    "knapsack": ([["1"], ["2", "3"], ["3"]], None),
    "cumulative": ([["1", "3"], ["2"], ["3", "1"]], [[2, 1], [3], [1, 2]]),
    "ranked": ([["3", "1"], ["1", "2"], ["2", "3"]], None),
}


@pytest.mark.parametrize("kind", sorted(KIND_BALLOTS))
def test_ballots_cast_in_gorod_read_as_their_export(make_process, on_ballot, districts, kind):
    process = make_process(
        phase="results", ballot_kind=kind, ranked_length=2, points_total=3, points_per_project=3
    )
    north = districts["north"]
    on_ballot(process, [("1", 300, None), ("2", "250.50", None), ("3", 100, None), ("n", 100, north)])
    choices, points = KIND_BALLOTS[kind]
    given = points or [None] * len(choices)
    Ballot.objects.bulk_create(
        Ballot(process=process, choices=c, points=p) for c, p in zip(choices, given, strict=True)
    )
    Ballot.objects.create(process=process, district=north, choices=["n"], points=[1] if points else None)
    ours = from_database(process)
    theirs = election_from_pabulib(exchange.scope_file(process))
    assert shape(ours) == shape(theirs)
    assert ballots(ours) == ballots(theirs)
    assert from_database(process, north).n_voters == 1


def test_a_scope_without_projects_has_no_election(make_process):
    process = make_process(phase="results")
    assert ballot_box.scope_election(process, Budget.objects.get(process=process, district=None)) is None


def test_a_ballot_naming_a_project_off_the_ballot_is_an_election_error(make_process, on_ballot):
    process = make_process(phase="results")
    on_ballot(process, [("1", 100, None)])
    Ballot.objects.create(process=process, choices=["1", "gone"])
    with pytest.raises(ElectionError, match="gone"):
        from_database(process)


def test_the_fingerprint_changes_with_every_ballot_added_or_replaced(make_process, on_ballot):
    process = make_process(phase="results")
    on_ballot(process, [("1", 100, None), ("2", 100, None)])
    first = Ballot.objects.create(process=process, choices=["1"])
    before = ballot_box.fingerprint(process)
    assert ballot_box.fingerprint(process) == before
    Ballot.objects.create(process=process, choices=["2"])
    added = ballot_box.fingerprint(process)
    assert added != before
    first.delete()
    Ballot.objects.create(process=process, choices=["1"])  # a re-vote: as many ballots as before
    assert ballot_box.fingerprint(process) not in (before, added)
