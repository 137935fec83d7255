"""The demo seeder: a finished process with results and an open vote, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management.base import OutputWrapper

from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.models import Ballot, Milestone, Process, Result
from gorod.budgeting.services import ballot_cast
from gorod.demo.budgeting import processes as demo
from tests.budgeting.conftest import english  # noqa: F401
from tests.conftest import SPRING_DAY

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def demo_accounts(db, django_user_model):
    for name, role in (("citizen", "citizen"), ("admin", "city_admin"), ("executor", "executor")):
        django_user_model.objects.create_user(username=name, password="x-pass-12345", role=role)


def test_seed_twice_makes_one_of_each(city, demo_accounts, monkeypatch, frozen_spring):
    monkeypatch.setattr(demo, "BALLOTS", 400)
    out = io.StringIO()
    demo.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=OutputWrapper(out))
    first = out.getvalue()
    out2 = io.StringIO()
    demo.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=OutputWrapper(out2))
    assert Process.objects.count() == 2
    done = Process.objects.get(slug=demo.DONE_SLUG)
    assert done.results_published and Ballot.objects.filter(process=done).count() == 400
    assert Result.objects.filter(process=done, rule="mes").count() == 2
    assert Milestone.objects.filter(project__process=done).exists()
    assert done.lottery.drawn is not None
    # The same resident numbers and codes are printed both times, and they work.
    codes = [line.split()[0] for line in first.splitlines() if line.startswith("  ") and line.count("-") == 3]
    assert codes and codes == [
        line.split()[0]
        for line in out2.getvalue().splitlines()
        if line.startswith("  ") and line.count("-") == 3
    ]
    [born] = [line.split()[1] for line in first.splitlines() if line.startswith("  DEMO-100 ")]
    open_process = Process.objects.get(slug=demo.OPEN_SLUG)
    first_district = open_process.budgets.order_by("district__slug").first().district
    project = open_process.projects.filter(status="on_ballot", district=first_district).first()
    ballot_cast(
        process=open_process,
        credentials=Credentials(identifier="DEMO-100", birth_date=born),
        district=first_district,
        choices=[project.code],
    )
    ballot_cast(
        process=open_process,
        credentials=Credentials(code=codes[0]),
        district=first_district,
        choices=[project.code],
    )
    assert Ballot.objects.filter(process=open_process).count() == 2


def test_seed_without_accounts_is_skipped(city):
    out = io.StringIO()
    demo.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=OutputWrapper(out))
    assert "skipped" in out.getvalue() and not Process.objects.exists()
