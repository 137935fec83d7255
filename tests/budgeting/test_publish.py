"""Publishing tallies the ballots with no lock held: the city goes on writing while it counts, and what
changed meanwhile is counted again or refused, never published half-seen."""

from __future__ import annotations

import datetime as dt
import random
import threading

import pytest
from django.db import connection

from gorod.budgeting.errors import Refused
from gorod.budgeting.models import Ballot, Phase, Process, Project, Result
from gorod.budgeting.services import results, results_publish
from gorod.budgeting.tally import Election, run
from gorod.core import clock
from gorod.reports.models import Report

pytestmark = pytest.mark.usefixtures("english")

# Only a guard against a hang: every wait below ends as soon as the other side has done its part.
HANG = 300
COSTS = {"1": 400, "2": 350, "3": 300, "4": 250, "5": 200, "6": 150}


@pytest.fixture
def closed(make_process, on_ballot):
    """A process whose vote has closed, with six city-wide projects on its ballot."""

    def make(**fields) -> Process:
        process = make_process(phase="results", budgets=[(None, 1000)], **fields)
        on_ballot(process, [(code, cost, None) for code, cost in COSTS.items()])
        return process

    return make


def store_ballots(process: Process, n: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    ballots = [rng.sample(sorted(COSTS), rng.randint(1, 4)) for _ in range(n)]
    Ballot.objects.bulk_create([Ballot(process=process, choices=b) for b in ballots], batch_size=2000)
    return ballots


def expected(rule: str, ballots: list[list[str]]):
    election = Election.from_ballots(
        project_ids=list(COSTS), costs=list(COSTS.values()), budget=1000, ballots=ballots
    )
    return run(rule, election)


@pytest.mark.django_db(transaction=True)
def test_a_report_is_filed_while_a_large_tally_runs(closed, file_report, request, monkeypatch):
    process = closed(tally_rule="mes-add1")
    ballots = store_ballots(process, 5000)
    request.getfixturevalue("real_database")
    counting, go_on = threading.Event(), threading.Event()
    tallied: list[str] = []

    def paused(rule, election):
        tallied.append(rule)
        counting.set()
        if not go_on.wait(HANG):
            raise AssertionError("the test never let the tally go on")
        return run(rule, election)

    monkeypatch.setattr(results, "run", paused)
    outcome: dict = {}

    def publish() -> None:
        try:
            outcome["saved"] = results_publish(process=process)
        except Exception as exc:  # re-raised by the test below
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=publish)
    thread.start()
    try:
        assert counting.wait(HANG), "the tally never started"
        report = file_report()  # on SQLite: a write while the tally runs, no "database is locked"
        assert Report.objects.filter(pk=report.pk).exists()
        assert not Result.objects.filter(process=process).exists()
    finally:
        go_on.set()
        thread.join(HANG)
    assert "error" not in outcome, outcome.get("error")
    assert tallied == ["mes-add1", "greedy", "mes"]  # once: nothing changed while it ran
    for rule in tallied:
        result = Result.objects.get(process=process, rule=rule)
        reference = expected(rule, ballots)
        assert result.funded == reference.funded
        assert (result.voters, result.voters_with_funded) == (5000, reference.details["voters_with_funded"])
    funded = set(Project.objects.filter(process=process, status="funded").values_list("code", flat=True))
    assert funded == set(expected("mes-add1", ballots).funded)
    process.refresh_from_db()
    assert process.results_published is not None


def test_a_ballot_stored_during_the_tally_is_counted_by_a_second_tally(closed, monkeypatch):
    process = closed(tally_rule="mes")  # two rules tallied per attempt: mes and greedy
    ballots = store_ballots(process, 10)
    seen: list[int] = []

    def late_ballot(rule, election):
        if not seen:
            Ballot.objects.create(process=process, choices=["6"])  # cast before the close, stored now
        seen.append(election.n_voters)
        return run(rule, election)

    monkeypatch.setattr(results, "run", late_ballot)
    results_publish(process=process)
    assert seen == [10, 10, 11, 11]
    result = Result.objects.get(process=process, rule="mes")
    assert result.voters == 11
    assert result.funded == expected("mes", [*ballots, ["6"]]).funded


def test_a_cost_corrected_during_the_tally_is_counted_by_a_second_tally(closed, monkeypatch):
    process = closed(tally_rule="greedy")
    store_ballots(process, 10)
    corrected: list[bool] = []

    def correct(rule, election):
        if not corrected:
            Project.objects.filter(process=process, code="1").update(cost=990)
            corrected.append(True)
        return run(rule, election)

    monkeypatch.setattr(results, "run", correct)
    results_publish(process=process)
    for result in Result.objects.filter(process=process):
        costs = {**COSTS, "1": 990}
        assert result.total_cost == sum(costs[code] for code in result.funded)


def test_inputs_that_keep_changing_are_refused_and_nothing_is_published(closed, monkeypatch):
    process = closed(tally_rule="mes")  # two rules tallied per attempt: mes and greedy
    store_ballots(process, 10)

    def churn(rule, election):
        Ballot.objects.create(process=process, choices=["1"])
        return run(rule, election)

    monkeypatch.setattr(results, "run", churn)
    with pytest.raises(Refused, match="kept changing"):
        results_publish(process=process)
    assert Ballot.objects.filter(process=process).count() == 10 + results.ATTEMPTS * 2
    assert not Result.objects.filter(process=process).exists()
    assert not Project.objects.filter(process=process, status__in=["funded", "not_funded"]).exists()
    process.refresh_from_db()
    assert process.results_published is None


def test_a_vote_reopened_during_the_tally_is_refused(closed, monkeypatch):
    process = closed()
    store_ballots(process, 10)

    def reopen(rule, election):
        later = clock.now() + dt.timedelta(days=1)
        Phase.objects.filter(process=process, kind="ballot").update(ends=later)
        return run(rule, election)

    monkeypatch.setattr(results, "run", reopen)
    with pytest.raises(Refused, match="after the vote closes"):
        results_publish(process=process)
    assert not Result.objects.filter(process=process).exists()
