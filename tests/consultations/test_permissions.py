"""Role × action × phase state × module kind: every consultations permission against one declared table
(WHO_MAY below, phases.ALLOWS for the states, modules.REGISTRY for the kinds)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from gorod.accounts.models import User
from gorod.consultations import modules
from gorod.consultations.models import Module
from gorod.consultations.phases import ALLOWS, Action, PhaseState

pytestmark = pytest.mark.usefixtures("english")

ROLES = ("anonymous", "citizen", "moderator", "executor", "department_head", "city_admin", "auditor")
SIGNED_IN = set(ROLES) - {"anonymous"}
WHO_MAY = {
    Action.READ: set(ROLES),
    Action.CONTRIBUTE: SIGNED_IN,
    Action.COMMENT: SIGNED_IN,
    Action.VOTE: SIGNED_IN,
}


def make_user(role: str):
    if role == "anonymous":
        return AnonymousUser()
    return User.objects.create_user(username=f"u-{role}", password="x-pass-12345", role=role)


@pytest.fixture
def modules_by_state(make_project):
    """A module of every registered kind in a phase of every state. Kinds not yet built are attached
    directly: the permission frame must already hold for them."""
    by_state = {}
    for state in PhaseState.values:
        phase = make_project(state=state, slug=f"p-{state}").phase_list()[0]
        by_state[state] = [
            Module.objects.create(phase=phase, kind=kind, title=kind) for kind in modules.REGISTRY
        ]
    return by_state


def test_matrix(modules_by_state):
    users = {role: make_user(role) for role in ROLES}
    failures = []
    for state, module_list in modules_by_state.items():
        for module in module_list:
            for action in Action.values:
                for role in ROLES:
                    expected = (
                        role in WHO_MAY[action]
                        and action in ALLOWS[state]
                        and action in modules.REGISTRY[module.kind].actions
                    )
                    actual = users[role].has_perm(f"consultations.{action}", module)
                    if actual != expected:
                        failures.append((state, module.kind, action, role, actual))
    assert not failures, failures[:10]


def test_an_unpublished_project_allows_nothing_public(make_project, citizen):
    phase = make_project(state="open", published=False).phase_list()[0]
    module = Module.objects.create(phase=phase, kind="idea_wall", title="Ideas")
    assert not citizen.has_perm("consultations.read", module)
    assert not citizen.has_perm("consultations.contribute", module)


@pytest.mark.parametrize("role", ROLES)
def test_only_city_admins_manage(db, role):
    assert make_user(role).has_perm("consultations.manage") == (role == "city_admin")


def test_every_action_and_state_is_declared():
    assert set(WHO_MAY) == set(Action.values)
    assert set(ALLOWS) == set(PhaseState.values)
    assert all(Action.READ in kind.actions for kind in modules.REGISTRY.values())
