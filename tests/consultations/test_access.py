"""A module's write is refused with the right reason (closed, not yet open, sign in, not offered), and the
reasons agree with the permission for every role, action, state and kind."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from gorod.consultations import access, modules
from gorod.consultations.errors import Refused
from gorod.consultations.models import Module
from gorod.consultations.phases import Action, PhaseState

pytestmark = pytest.mark.usefixtures("english")


def _module(make_project, state: str, kind: str = "idea_wall", **fields) -> Module:
    phase = make_project(state=state, **fields).phase_list()[0]
    return Module.objects.create(phase=phase, kind=kind, title=kind)


def test_a_closed_phase_refuses_with_a_clear_message(make_project, citizen):
    module = _module(make_project, "closed")
    with pytest.raises(Refused, match=r"closed on .*no longer taken"):
        access.require(user=citizen, module=module, action=Action.CONTRIBUTE)


def test_an_upcoming_phase_says_when_it_opens(make_project, citizen):
    with pytest.raises(Refused, match="opens on"):
        access.require(user=citizen, module=_module(make_project, "upcoming"), action=Action.VOTE)


def test_anonymous_visitors_are_asked_to_sign_in(make_project):
    with pytest.raises(Refused, match="Sign in"):
        access.require(user=AnonymousUser(), module=_module(make_project, "open"), action=Action.CONTRIBUTE)


def test_an_action_the_kind_does_not_have_is_refused(make_project, citizen):
    with pytest.raises(Refused, match="does not take"):
        access.require(
            user=citizen, module=_module(make_project, "open", kind="survey"), action=Action.COMMENT
        )


def test_reasons_agree_with_the_permission(make_project, citizen):
    users = (AnonymousUser(), citizen)
    for state in PhaseState.values:
        phase = make_project(state=state, slug=f"s-{state}").phase_list()[0]
        for kind in modules.REGISTRY:
            module = Module.objects.create(phase=phase, kind=kind, title=kind)
            for action in Action.values:
                for user in users:
                    allowed = user.has_perm(f"consultations.{action}", module)
                    assert (access.refusal(user, module, action) is None) == allowed, (state, kind, action)
