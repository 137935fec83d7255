"""Publishing results: the process's rule decides, greedy and MES are kept to compare, the page explains
MES decisions, and the downloads carry the ballots."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from gorod.budgeting import pabulib
from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Process, Project, Result
from gorod.budgeting.services import process_advance, results_publish
from gorod.budgeting.tally import election_from_pabulib, run
from gorod.core import clock
from tests.pabulib_files import PABULIB_DIR

pytestmark = pytest.mark.usefixtures("english")

SHARED = PABULIB_DIR
WARSZAWA = SHARED / "Poland_Warszawa_2017_Bemowo.pb"


@pytest.fixture
def imported(city):
    call_command("pb_import", str(WARSZAWA), "--publish", stdout=io.StringIO())
    return Process.objects.get()


def test_published_greedy_result_reproduces_the_files_selection(imported):
    assert imported.tally_rule == "greedy" and imported.results_published
    result = Result.objects.get(process=imported, rule="greedy")
    data = pabulib.load(WARSZAWA)
    selected = {pid for pid, p in data.projects.items() if p.fields.get("selected") == "1"}
    assert set(result.funded) == selected
    funded = set(Project.objects.filter(process=imported, status="funded").values_list("code", flat=True))
    assert funded == selected
    assert Project.objects.filter(process=imported, status="not_funded").count() == len(data.projects) - len(
        selected
    )


def test_mes_result_is_the_tally_of_the_file(imported):
    expected = run("mes", election_from_pabulib(pabulib.load(WARSZAWA)))
    mes = Result.objects.get(process=imported, rule="mes")
    assert mes.funded == expected.funded
    assert mes.voters == 4197
    assert 0 < mes.voters_with_funded <= 4197
    assert set(mes.details["mes"]) == set(pabulib.load(WARSZAWA).projects)


def test_results_page_explains_and_compares(en_client, imported):
    response = en_client.get(f"/pb/{imported.slug}/results/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "pb-bar-funded" in html
    mes = Result.objects.get(process=imported, rule="mes")
    greedy = Result.objects.get(process=imported, rule="greedy")
    assert (
        f"{mes.voters_with_funded} of 4197" in html.replace("\u00a0", " ")
        or str(mes.voters_with_funded) in html
    )
    assert str(greedy.voters_with_funded) in html
    assert "less than its cost" in html or "меньше" in html or "ran out" in html


def test_results_downloads(en_client, imported):
    csv_response = en_client.get(f"/pb/{imported.slug}/results/city.csv")
    assert csv_response.status_code == 200
    rows = list(csv.reader(io.StringIO(csv_response.content.decode())))
    assert rows[0][:3] == ["project_id", "title", "cost"] and len(rows) == 1 + 33
    pb = en_client.get(f"/pb/{imported.slug}/results/city.pb")
    assert pb.status_code == 200
    assert len(pabulib.parse(pb.content.decode()).votes) == 4197
    assert en_client.get(f"/pb/{imported.slug}/results/atlantis.csv").status_code == 404


def test_results_before_the_vote_closes_are_refused(make_process, on_ballot):
    process = make_process()
    on_ballot(process, [("1", 100, None)])
    with pytest.raises(Refused, match="after the vote closes"):
        results_publish(process=process)
    assert not Result.objects.filter(process=process).exists()


def test_only_administrators_publish(make_process, citizen):
    process = make_process(phase="results")
    with pytest.raises(Refused, match="administrators"):
        results_publish(process=process, actor=citizen)


def test_advance_publishes_once_the_vote_is_over(make_process, on_ballot, census):
    from gorod.budgeting.eligibility import Credentials
    from gorod.budgeting.services import ballot_cast

    process = make_process(budgets=[(None, 300)], tally_rule="mes")
    on_ballot(process, [("1", 200, None), ("2", 200, None), ("3", 100, None)])
    census(process, "A,,1990-01-01\nB,,1990-01-01\nC,,1990-01-01\n")
    for ident, choice in (("A", ["1"]), ("B", ["1", "3"]), ("C", ["2"])):
        ballot_cast(
            process=process,
            credentials=Credentials(identifier=ident, birth_date="1990-01-01"),
            district=None,
            choices=choice,
        )
    ends = process.phases.get(kind="ballot").ends
    with clock.frozen(ends):
        assert "results published" in process_advance(process=process)
        assert process_advance(process=process) == []
    funded = set(Project.objects.filter(process=process, status="funded").values_list("code", flat=True))
    assert funded == set(Result.objects.get(process=process, district=None, rule="mes").funded)
    assert funded
