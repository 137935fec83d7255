"""The demo's stories and outside expert: made through the services, idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from gorod.accounts import invitations
from gorod.accounts.models import User
from gorod.demo import stories
from gorod.demo.accounts import demo_accounts_ensure
from gorod.info.stories.models import Story

pytestmark = pytest.mark.django_db


def test_demo_stories_and_invitation(city, frozen_spring):
    from gorod.budgeting.services import process_create
    from tests.budgeting.conftest import phase_plan

    demo_accounts_ensure(city)
    process = process_create(
        municipality=city,
        slug="demo-pb",
        title="Твой бюджет",
        budgets=[(None, 1000)],
        phase_list=phase_plan("review"),
    )
    out = io.StringIO()
    for _ in range(2):
        stories.seed(municipality=city, seed=1, anchor=dt.date(2026, 5, 13), stdout=out)
    counts = {s: Story.objects.filter(status=s).count() for s in Story.Status.values}
    assert counts == {"published": 2, "pending": 1, "hidden": 1}
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.role == User.Role.EXPERT
    assert invitations.invitations_for(process).filter(user=reviewer).count() == 1
