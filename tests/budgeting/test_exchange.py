"""pb_import → pb_export round trip on every shared Pabulib file, and the commands' errors."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gorod.budgeting import pabulib
from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.models import Ballot, Process, Project
from gorod.budgeting.services import ballot_cast
from tests.pabulib_files import PABULIB_DIR

pytestmark = pytest.mark.usefixtures("english")

SHARED = PABULIB_DIR
FILES = sorted(SHARED.glob("*.pb"))


def test_the_shared_files_are_there():
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem[:40])
def test_import_export_round_trip(city, path, tmp_path):
    out = io.StringIO()
    call_command("pb_import", str(path), stdout=out)
    process = Process.objects.get()
    assert process.frozen and process.slug in out.getvalue()
    target = tmp_path / "out.pb"
    call_command("pb_export", process.slug, "--output", str(target))
    original, again = pabulib.load(path), pabulib.load(target)
    assert again.meta == original.meta
    assert list(again.projects) == list(original.projects)
    for pid, p in original.projects.items():
        q = again.projects[pid]
        assert (Decimal(q.cost), q.name, q.fields) == (Decimal(p.cost), p.name, p.fields)
    assert [(v.voter_id, v.vote, v.points, v.fields) for v in again.votes] == [
        (v.voter_id, v.vote, v.points, v.fields) for v in original.votes
    ]
    assert again.project_columns == original.project_columns
    assert again.vote_columns == original.vote_columns


def test_export_by_id_to_stdout(city):
    call_command("pb_import", str(FILES[0]), stdout=io.StringIO())
    process = Process.objects.get()
    out = io.StringIO()
    call_command("pb_export", str(process.pk), stdout=out)
    assert pabulib.parse(out.getvalue()).meta["vote_type"]


def test_import_refuses_a_broken_file_and_saves_nothing(city, tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text(
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\nVOTES\nvoter_id;vote\nv1;2\n"
    )
    with pytest.raises(CommandError, match="unknown project"):
        call_command("pb_import", str(bad))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("pb_import", str(tmp_path / "missing.pb"))
    with pytest.raises(CommandError, match="no municipality"):
        call_command("pb_import", str(FILES[0]), "--municipality", "atlantis")
    assert not Process.objects.exists()


def test_export_of_a_process_with_several_budgets_needs_a_scope(make_process):
    process = make_process()
    with pytest.raises(CommandError, match="several budgets"):
        call_command("pb_export", process.slug)
    with pytest.raises(CommandError, match="no budget"):
        call_command("pb_export", process.slug, "--scope", "atlantis")
    with pytest.raises(CommandError, match="no process"):
        call_command("pb_export", "nothing-here")


def test_export_of_gorod_ballots_links_no_one(make_process, on_ballot, census):
    process = make_process(ballot_kind=Process.BallotKind.CUMULATIVE, points_total=5, points_per_project=3)
    on_ballot(process, [("1", 100, None), ("2", 200, None)])
    census(process, "A,,1990-01-01\nB,,1990-01-01\n")
    ballot_cast(
        process=process,
        credentials=Credentials(identifier="A", birth_date="1990-01-01"),
        district=None,
        choices=["1"],
        points=[3],
    )
    ballot_cast(
        process=process,
        credentials=Credentials(identifier="B", birth_date="1990-01-01"),
        district=None,
        choices=["1", "2"],
        points=[1, 2],
    )
    out = io.StringIO()
    call_command("pb_export", process.slug, "--scope", "city", stdout=out)
    text = out.getvalue()
    data = pabulib.parse(text)
    assert data.meta["vote_type"] == "cumulative" and data.meta["max_sum_points"] == "5"
    assert sorted(v.voter_id for v in data.votes) == ["1", "2"]
    assert {v.voter_id: v.fields for v in data.votes} == {"1": {}, "2": {}}
    assert data.projects["1"].fields["votes"] == "2" and data.projects["1"].fields["score"] == "4"
    # Nothing of the roll, the receipts or the census is in the file.
    for secret in (
        "A",
        "B",
        *process.roll.values_list("link", flat=True),
        *process.receipts.values_list("receipt_hash", flat=True),
    ):
        assert secret not in {v.voter_id for v in data.votes}
        assert len(secret) == 1 or secret not in text
    assert (
        Ballot.objects.filter(process=process).count() == 2
        and Project.objects.filter(process=process).count() == 2
    )


@pytest.mark.parametrize("rule", ["mes-add1", "equalshares/add1", "equalshares", "phragmen"])
def test_an_imported_file_keeps_its_rule(city, tmp_path, rule):
    """Gorod's own export names its rule (the default is the completed MES); Pabulib's names are read too."""
    text = FILES[0].read_text(encoding="utf-8")
    source = pabulib.parse(text)
    source.meta["rule"] = rule
    path = tmp_path / "rule.pb"
    path.write_text(pabulib.dumps(source), encoding="utf-8")
    call_command("pb_import", str(path), stdout=io.StringIO())
    expected = {"equalshares/add1": "mes-add1", "equalshares": "mes"}.get(rule, rule)
    assert Process.objects.get().tally_rule == expected
