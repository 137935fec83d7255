"""The budgeting list pages load in a fixed number of queries, the same with 2 rows as with 20."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from gorod.budgeting.eligibility import Credentials
from gorod.budgeting.models import ExpertAssignment, ExpertReview, Milestone, Project, Support
from gorod.budgeting.services import (
    ballot_cast,
    candidate_add,
    idea_submit,
    lottery_setup,
    results_publish,
)
from gorod.core import clock
from tests.helpers import login_verified
from tests.query_counts import assert_pinned, get, growing

pytestmark = pytest.mark.django_db

# A process's pages read the default city, the process, its phases and budgets; their menu asks whether
# the process has a lottery.
PROCESS = 4
MENU = 1
SIGNED_IN = 2  # the session and the user
STAFF = SIGNED_IN + 1  # and the second factor


def _projects(process, n: int, status: str, start: int = 0) -> list[Project]:
    return [
        Project.objects.create(
            process=process,
            code=str(i),
            title=f"Проект {i}",
            description="Описание проекта",
            cost=Decimal(100),
            status=status,
            order=i,
        )
        for i in range(start, start + n)
    ]


def test_process_list(client, make_process, frozen_spring):
    # the city, the processes, their phases
    assert_pinned(3, growing(lambda k: [make_process() for _i in range(k)], get(client, "/pb/")))


def test_ideas_list(client, make_process, citizen, frozen_spring):
    """With the signed-in resident's own supports marked, and every idea's count of supporters."""
    from gorod.accounts.models import User

    process = make_process(phase="ideas")
    client.force_login(citizen)
    other = User.objects.create_user(username="other", password="x-pass-12345")

    def add(k):
        for _i in range(k):
            idea = idea_submit(
                process=process, author=citizen, title="Идея", description="Описание идеи", cost=100
            )
            Support.objects.create(project=idea, user=other)

    # the ideas with their counts, the resident's supports, whether they are this process's expert
    assert_pinned(PROCESS + MENU + SIGNED_IN + 3, growing(add, get(client, f"/pb/{process.slug}/ideas/")))


def test_results(client, make_process, on_ballot, census, districts, frozen_spring):
    """Every scope's bars and the tally's explanations, and the implementation of the funded projects."""

    def page(n):
        process = make_process(budgets=[(None, 100 * n), (districts["north"], 100)], tally_rule="mes")
        on_ballot(process, [(f"c{i}", 100, None) for i in range(n)] + [("n1", 100, districts["north"])])
        census(process, "".join(f"V{i},,1990-01-01\n" for i in range(n)))
        for i in range(n):
            ballot_cast(
                process=process,
                credentials=Credentials(identifier=f"V{i}", birth_date="1990-01-01"),
                district=None,
                choices=[f"c{i}"],
            )
        with clock.frozen(process.phases.get(kind="ballot").ends):
            results_publish(process=process)
        for project in Project.objects.filter(process=process, status=Project.Status.FUNDED):
            Milestone.objects.create(project=project, date=dt.date(2026, 9, 1), text="Начали")
            Milestone.objects.create(project=project, date=dt.date(2026, 10, 1), text="Закончили")
        return get(client, f"/pb/{process.slug}/results/")

    # for each of the two scopes its results, projects and ballots; the funded projects and milestones
    assert_pinned(PROCESS + MENU + 2 * 3 + 2, page)


def test_expert_reviews_with_the_experts_queue(client, make_process, citizen, frozen_spring):
    process = make_process(phase="review")
    ExpertAssignment.objects.create(process=process, user=citizen)
    client.force_login(citizen)

    def add(k):
        made = Project.objects.filter(process=process).count()
        for project in _projects(process, k, Project.Status.IN_REVIEW, start=made):
            ExpertReview.objects.create(
                project=project, expert=citizen, feasible=True, cost_estimate=90, opinion="Можно сделать"
            )

    # the opinions, the queue, whether the user is the expert (asked twice: the menu's permissions and
    # the queue's)
    assert_pinned(PROCESS + MENU + SIGNED_IN + 4, growing(add, get(client, f"/pb/{process.slug}/reviews/")))


def test_lottery_candidates(client, make_process, admin_user, frozen_spring):
    process = make_process(phase="lottery")
    draw = lottery_setup(process=process, actor=admin_user, seats=3, reserves=2)

    def add(k):
        for i in range(k):
            candidate_add(lottery=draw, actor=admin_user, public_name=f"Житель {i}")

    # the lottery and its candidates
    assert_pinned(PROCESS + MENU + 2, growing(add, get(client, f"/pb/{process.slug}/lottery/")))


def test_manage_page(client, make_process, census, admin_user, frozen_spring):
    process = make_process()
    login_verified(client, admin_user)
    numbers = itertools.count(1)

    def add(k):
        census(process, "".join(f"R{n},,1990-01-01\n" for n in itertools.islice(numbers, k)))

    # the lottery, four counts (census, codes, used codes, ballots), whether the admin is an expert
    assert_pinned(STAFF + PROCESS + MENU + 6, growing(add, get(client, f"/pb/{process.slug}/manage/")))
