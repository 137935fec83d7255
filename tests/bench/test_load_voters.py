"""The load scenario's voters (bench/pb_voters.py): codes for every ballot of the demo's open vote that
cast a ballot through the real page, the way bench/locustfile.py does, once each; none while the vote is
closed."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management.base import OutputWrapper
from django.test import Client

from bench import pb_voters
from gorod.budgeting.models import Ballot, Process
from gorod.core import clock
from gorod.demo.budgeting import processes as demo
from tests.conftest import SPRING_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_vote(city, django_user_model, monkeypatch, frozen_spring):
    for name, role in (("citizen", "citizen"), ("admin", "city_admin"), ("executor", "executor")):
        django_user_model.objects.create_user(username=name, password="x-pass-12345", role=role)
    monkeypatch.setattr(demo, "BALLOTS", 50)
    demo.seed(municipality=city, seed=1, anchor=SPRING_DAY.date(), stdout=OutputWrapper(io.StringIO()))
    return Process.objects.get(slug=demo.OPEN_SLUG)


def test_each_code_casts_one_ballot_through_the_page_while_the_vote_is_open(open_vote, tmp_path):
    out = tmp_path / "voters.json"
    assert pb_voters.main(["--count", "2", "--output", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["slug"] == open_vote.slug
    scopes = {b.district.slug for b in open_vote.budgets.select_related("district")}
    assert {b["scope"] for b in data["ballots"]} == scopes
    assert all(len(b["codes"]) == 2 for b in data["ballots"])
    assert out.stat().st_mode & 0o077 == 0  # the codes vote: not readable by others

    for ballot in data["ballots"]:
        url = f"/pb/{data['slug']}/vote/{ballot['scope']}/"
        for code in ballot["codes"]:
            voter = Client(enforce_csrf_checks=True)  # like locust's session: the form's token is needed
            token, projects = pb_voters.ballot_form(voter.get(url).content.decode())
            assert token and projects
            cast = voter.post(url, {"csrfmiddlewaretoken": token, "project": projects[:2], "code": code})
            assert cast.status_code == 302 and "/receipt/" in cast["Location"], cast.content[:500]
            assert voter.get(cast["Location"]).status_code == 200
        # A code votes once: another voter giving it again is refused, and nothing is counted twice.
        other = Client(enforce_csrf_checks=True)
        token, projects = pb_voters.ballot_form(other.get(url).content.decode())
        again = other.post(url, {"csrfmiddlewaretoken": token, "project": projects[:1], "code": code})
        assert again.status_code == 400
    assert Ballot.objects.filter(process=open_vote).count() == 2 * len(scopes)

    # Once the vote has closed (a database seeded months ago) there are no codes to make: bench/load.py
    # then seeds a fresh database. (One test: seeding the demo's processes takes a while.)
    later = tmp_path / "later.json"
    with clock.frozen(SPRING_DAY + dt.timedelta(days=200)):
        assert pb_voters.main(["--count", "2", "--output", str(later)]) == pb_voters.VOTE_CLOSED
    assert not later.exists()
