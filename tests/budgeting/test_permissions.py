"""Role × action × phase: every budgeting permission, for every role, in every phase, against one
declared table (WHO_MAY below, phases.ALLOWS for the phases)."""

from __future__ import annotations

import pytest

from gorod.accounts.models import User
from gorod.budgeting.models import ExpertAssignment
from gorod.budgeting.phases import ALLOWS, Action, PhaseKind

pytestmark = pytest.mark.usefixtures("english")

ROLES = (
    "anonymous",
    "citizen",
    "expert",
    "moderator",
    "executor",
    "department_head",
    "city_admin",
    "auditor",
)

# Who may act when the phase allows the action. "expert" is a citizen account assigned to the process.
WHO_MAY = {
    Action.SUBMIT_IDEA: set(ROLES) - {"anonymous"},
    Action.SUPPORT: set(ROLES) - {"anonymous"},
    Action.DRAW_LOTTERY: {"city_admin"},
    Action.REVIEW: {"expert"},
    Action.VOTE: set(ROLES),  # eligibility is checked at ballot time by the plug-ins
    Action.VIEW_RESULTS: set(ROLES),
    Action.TRACK_IMPLEMENTATION: {"executor", "department_head", "city_admin"},
}
PHASES = [*PhaseKind.values, None]  # None: between phases / after the last


def make_user(role: str, process):
    from django.contrib.auth.models import AnonymousUser

    if role == "anonymous":
        return AnonymousUser()
    db_role = "citizen" if role == "expert" else role
    user = User.objects.create_user(username=f"u-{role}", password="x-pass-12345", role=db_role)
    if role == "expert":
        ExpertAssignment.objects.create(process=process, user=user)
    return user


@pytest.fixture
def by_phase(make_process):
    return {phase: make_process(phase=phase) for phase in PHASES}


def test_matrix(by_phase):
    users = {
        role: make_user(role, process)
        for role, process in zip(ROLES, [by_phase[None]] * len(ROLES), strict=True)
    }
    # Experts are assigned per process: assign the expert to every process of the matrix.
    for process in by_phase.values():
        ExpertAssignment.objects.get_or_create(process=process, user=users["expert"])
    failures = []
    for phase, process in by_phase.items():
        for action in Action.values:
            for role in ROLES:
                expected = role in WHO_MAY[action] and phase is not None and action in ALLOWS[phase]
                actual = users[role].has_perm(f"budgeting.{action}", process)
                if actual != expected:
                    failures.append((phase, action, role, actual))
    assert not failures, failures[:10]


def test_expert_of_another_process_may_not_review(make_process, citizen):
    mine, other = make_process(phase="review"), make_process(phase="review")
    ExpertAssignment.objects.create(process=mine, user=citizen)
    assert citizen.has_perm("budgeting.review", mine)
    assert not citizen.has_perm("budgeting.review", other)


def test_results_stay_visible_once_published(make_process):
    from django.contrib.auth.models import AnonymousUser

    from gorod.core import clock

    process = make_process(phase="ideas")
    assert not AnonymousUser().has_perm("budgeting.view_results", process)
    process.results_published = clock.now()
    assert AnonymousUser().has_perm("budgeting.view_results", process)


@pytest.mark.parametrize("role", ROLES)
def test_only_city_admins_manage(make_process, role):
    process = make_process()
    assert make_user(role, process).has_perm("budgeting.manage", process) == (role == "city_admin")


def test_every_action_has_a_declared_rule():
    assert set(WHO_MAY) == set(Action.values)
    assert set(ALLOWS) == set(PhaseKind.values)
