"""The module kinds a phase can hold: one registry, kind → what the module is and which actions it has.

A module kind is a plug-in: its models and views live in their own package (consultations/<kind>/) and
it registers here with the actions it offers. The permission `consultations.<action>` on a module is
true only when the kind offers the action (here), the phase's state allows it (phases.ALLOWS) and the
person may (rules.WHO). `ready` kinds can be chosen by staff; the others are declared so that the frame,
its permissions and its matrix test already cover them, and become choosable when they are built
(issues 11 and 12)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gorod.consultations.phases import Action


@dataclass(frozen=True)
class ModuleKind:
    key: str
    label: str | Promise
    actions: frozenset[str]
    ready: bool = False


def _kind(key: str, label, actions: set[str], *, ready: bool = False) -> ModuleKind:
    return ModuleKind(key=key, label=label, actions=frozenset({Action.READ, *actions}), ready=ready)


REGISTRY: dict[str, ModuleKind] = {
    kind.key: kind
    for kind in (
        # A block of text in a phase: what happens now, what was decided. Read-only.
        _kind("information", _("information"), set(), ready=True),
        _kind("map_feedback", _("map feedback"), {Action.CONTRIBUTE, Action.VOTE}, ready=True),
        _kind("questions", _("questions and answers"), {Action.CONTRIBUTE, Action.VOTE}, ready=True),
        _kind("survey", _("survey"), {Action.CONTRIBUTE}, ready=True),
        _kind("idea_wall", _("idea wall"), {Action.CONTRIBUTE, Action.COMMENT, Action.VOTE}, ready=True),
        _kind("text_review", _("paragraph comments on a draft"), {Action.COMMENT}, ready=True),
        # issue 12: rooms of plans and panoramas, 3D dialogue, opinion groups
        _kind("room", _("comments pinned on plans and panoramas"), {Action.COMMENT}, ready=True),
        _kind("model_3d", _("dialogue on a 3D model"), {Action.COMMENT}, ready=True),
        _kind("opinion_groups", _("opinion groups"), {Action.CONTRIBUTE, Action.VOTE}, ready=True),
    )
}


def offers(kind: str, action: str) -> bool:
    entry = REGISTRY.get(kind)
    return entry is not None and action in entry.actions


def ready_choices() -> list[tuple[str, str]]:
    return [(k.key, str(k.label)) for k in REGISTRY.values() if k.ready]
