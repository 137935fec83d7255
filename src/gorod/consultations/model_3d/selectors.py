"""Reads of the 3D dialogue: the module's models and its pinned comments with their replies, in a fixed
number of queries, each pin with where it points in words (anchors.describe)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from gorod.consultations.contributions import visible_to
from gorod.consultations.model_3d import anchors
from gorod.consultations.model_3d.models import ModelPin, ModelReply, SceneModel, Variant


def scene_models(module) -> dict[str, SceneModel]:
    return {row.variant: row for row in SceneModel.objects.filter(module=module)}


def proposed_names(scenes: dict[str, SceneModel]) -> set[str]:
    """Parts of the "after" model the "before" one lacks: the proposal."""
    if Variant.AFTER not in scenes:
        return set()
    after = {n["name"] for n in scenes[Variant.AFTER].summary.get("nodes", [])}
    before = (
        {n["name"] for n in scenes[Variant.BEFORE].summary.get("nodes", [])}
        if Variant.BEFORE in scenes
        else set()
    )
    return after - before if before else set()


def module_pins(module, *, user, scenes: dict[str, SceneModel]) -> list[ModelPin]:
    pins: QuerySet[ModelPin] = (
        ModelPin.objects.filter(module=module)
        .filter(visible_to(user))
        .prefetch_related(
            Prefetch(
                "replies", queryset=ModelReply.objects.filter(visible_to(user)).order_by("created", "id")
            )
        )
        .order_by("created", "id")
    )
    proposed = proposed_names(scenes)
    out = list(pins)
    for number, pin in enumerate(out, start=1):
        pin.number = number
        scene = scenes.get(pin.variant)
        pin.where = (
            anchors.describe(
                (pin.x, pin.y, pin.z),
                nodes=scene.summary.get("nodes", []),
                proposed=proposed,
                bounds=scene.summary,
            )
            if scene is not None
            else ""
        )
    return out


def pin_of(module, pk: int) -> ModelPin | None:
    return ModelPin.objects.filter(module=module, pk=pk).select_related("module__phase__project").first()


def reply_of(module, pk: int) -> ModelReply | None:
    return ModelReply.objects.filter(pin__module=module, pk=pk).first()
