"""Writes of the 3D dialogue. Keyword-only, one transaction each; a refusal raises Refused and changes
nothing (a model's file is written only after every check passed, and the replaced one is removed only
once the transaction commits)."""

from __future__ import annotations

import hashlib
import math
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gorod.consultations import access
from gorod.consultations.contributions import clean_text, held
from gorod.consultations.errors import Refused
from gorod.consultations.model_3d import glb
from gorod.consultations.model_3d.models import (
    COMMENT_MAX,
    REPLY_MAX,
    ModelPin,
    ModelReply,
    SceneModel,
    Variant,
)
from gorod.consultations.phases import Action
from gorod.consultations.services.follow import participation_record
from gorod.core import audit

KIND = "model_3d"
# Stated to staff on the upload form and in docs/consultations.md: a block of buildings in GLB is a few
# megabytes; larger files are slow on a resident's phone.
MAX_MODEL_BYTES = 20 * 1024 * 1024
MODEL_DIR = "projects/models"


def model_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / MODEL_DIR / name


def _require_kind(module) -> None:
    if module.kind != KIND:
        raise Refused(_("This part of the project does not take that."))


@transaction.atomic
def model_upload(*, module, variant: str, data: bytes, actor) -> SceneModel:
    """Store `data` as the module's `variant` model once glb.inspect() accepts it, replacing any before."""
    _require_kind(module)
    if not actor.has_perm("consultations.manage"):
        raise Refused(_("Only city administrators upload models."))
    if variant not in Variant.values:
        raise Refused(_("Choose whether this is the model before or after."), field="variant")
    if not data:
        raise Refused(_("Choose a GLB file."), field="file")
    if len(data) > MAX_MODEL_BYTES:
        raise Refused(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_MODEL_BYTES // (1024 * 1024)}, field="file"
        )
    summary = glb.inspect(data)
    name = f"{secrets.token_hex(16)}.glb"
    path = model_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    old = SceneModel.objects.filter(module=module, variant=variant).first()
    fields = {
        "name": name,
        "size_bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "summary": summary.as_json(),
        "uploaded_by": actor,
    }
    try:
        with transaction.atomic():
            row, _created = SceneModel.objects.update_or_create(
                module=module, variant=variant, defaults=fields
            )
    except Exception:
        path.unlink(missing_ok=True)  # nothing half-saved: no row, so no file either
        raise
    if old is not None and old.name != name:
        old_path = model_path(old.name)
        transaction.on_commit(lambda: old_path.unlink(missing_ok=True))
    audit.record(
        action="consultations.model_upload",
        actor=actor,
        object_type="consultations.module",
        object_id=module.pk,
        detail={"variant": variant, "size_bytes": len(data)},
    )
    return row


def _numbers(text: str, count: int, *, field: str) -> list[float]:
    try:
        values = [float(part) for part in (text or "").replace(",", " ").split()]
    except ValueError as exc:
        raise Refused(_("Choose a point on the model first."), field=field) from exc
    if len(values) != count or not all(math.isfinite(v) for v in values):
        raise Refused(_("Choose a point on the model first."), field=field)
    return values


def _within(point: list[float], bounds: dict, margin: float) -> bool:
    return all(bounds["min"][i] - margin <= point[i] <= bounds["max"][i] + margin for i in range(3))


def _view(bounds: dict, *, position: str, normal: str, orbit: str, target: str, fov: str) -> dict:
    """The pin's point and camera, checked against the model: a point off the model or a camera that
    makes no sense is refused rather than stored."""
    point = _numbers(position, 3, field="position")
    if not _within(point, bounds, 1.0):
        raise Refused(_("That point is not on the model."), field="position")
    surface = _numbers(normal, 3, field="position")
    length = math.hypot(*surface)
    if not 0.5 <= length <= 1.5:
        raise Refused(_("Choose a point on the model first."), field="position")
    theta, phi, radius = _numbers(orbit, 3, field="position")
    diagonal = math.dist(bounds["min"], bounds["max"])
    aim = _numbers(target, 3, field="position")
    field_of_view = _numbers(fov, 1, field="position")[0]
    if (
        not 0 <= phi <= math.pi
        or not 0 < radius <= 20 * diagonal
        or not _within(aim, bounds, diagonal)
        or not 1 <= field_of_view <= 120
    ):
        raise Refused(_("The camera view could not be saved; move the view and try again."), field="position")
    return {
        "x": point[0], "y": point[1], "z": point[2],
        "normal_x": surface[0] / length, "normal_y": surface[1] / length, "normal_z": surface[2] / length,
        "orbit_theta": math.remainder(theta, math.tau), "orbit_phi": phi, "orbit_radius": radius,
        "target_x": aim[0], "target_y": aim[1], "target_z": aim[2],
        "field_of_view": field_of_view,
    }  # fmt: skip


@transaction.atomic
def pin_add(
    *, module, user, variant: str, text: str, position: str, normal: str, orbit: str, target: str, fov: str
) -> ModelPin:
    """A comment at a point of the `variant` model, as picked in the viewer (numbers as text, as the
    form sends them: "x y z", the orbit as "theta phi radius" in radians and metres, fov in degrees)."""
    _require_kind(module)
    access.require(user=user, module=module, action=Action.COMMENT)
    scene = (
        SceneModel.objects.filter(module=module, variant=variant).first()
        if variant in Variant.values
        else None
    )
    if scene is None:
        raise Refused(_("Choose the model before or after."), field="variant")
    view = _view(scene.summary, position=position, normal=normal, orbit=orbit, target=target, fov=fov)
    text = clean_text(text, field="text", max_length=COMMENT_MAX)
    pin = ModelPin.objects.create(
        module=module, author=user, variant=variant, text=text, **view, **held(module)
    )
    participation_record(project=module.phase.project, user=user)
    return pin


@transaction.atomic
def reply_add(*, pin: ModelPin, user, text: str) -> ModelReply:
    access.require(user=user, module=pin.module, action=Action.COMMENT)
    if pin.hidden:
        raise Refused(_("This comment is hidden."))
    if pin.awaiting:
        raise Refused(_("This awaits a moderator; it cannot be answered or supported yet."))
    text = clean_text(text, field="text", max_length=REPLY_MAX)
    reply = ModelReply.objects.create(pin=pin, author=user, text=text, **held(pin.module))
    participation_record(project=pin.module.phase.project, user=user)
    return reply
