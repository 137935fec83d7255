"""A 3D module's models (one GLB per variant: before, after) and the comments pinned on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.consultations.contributions import Moderated, register
from gorod.core.models import BaseModel

COMMENT_MAX = 1000
REPLY_MAX = 1000


class Variant(models.TextChoices):
    BEFORE = "before", _("before: as it is now")
    AFTER = "after", _("after: with the proposal")


class SceneModel(BaseModel):
    """One uploaded GLB that passed glb.inspect(); `summary` keeps its bounds and node boxes."""

    module = models.ForeignKey(
        "consultations.Module",
        on_delete=models.CASCADE,
        related_name="scene_models",
        verbose_name=_("module"),
    )
    variant = models.CharField(_("variant"), max_length=10, choices=Variant.choices)
    # A random name under MEDIA_ROOT/projects/models/: never the uploader's file name.
    name = models.CharField(_("stored file"), max_length=120)
    size_bytes = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    summary = models.JSONField(_("bounds and parts"), default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("uploaded by")
    )

    class Meta:
        verbose_name = _("3D model")
        verbose_name_plural = _("3D models")
        constraints = [
            models.UniqueConstraint(fields=["module", "variant"], name="consult_scene_model_variant_once")
        ]

    def __str__(self) -> str:
        return f"{self.module_id}: {self.variant}"


class ModelPin(Moderated, BaseModel):
    """A comment at a point of one variant's model, with the camera view it was written from."""

    module = models.ForeignKey(
        "consultations.Module", on_delete=models.CASCADE, related_name="model_pins", verbose_name=_("module")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_model_pins",
        verbose_name=_("written by"),
    )
    variant = models.CharField(_("pinned on the model"), max_length=10, choices=Variant.choices)
    text = models.TextField(_("comment"), max_length=COMMENT_MAX)
    # The point (metres, the model's coordinates) and the surface's normal there.
    x = models.FloatField(_("x"))
    y = models.FloatField(_("y"))
    z = models.FloatField(_("z"))
    normal_x = models.FloatField(_("normal x"))
    normal_y = models.FloatField(_("normal y"))
    normal_z = models.FloatField(_("normal z"))
    # The camera: model-viewer's orbit (radians, radians, metres) around its target, and field of view.
    orbit_theta = models.FloatField(_("camera azimuth (rad)"))
    orbit_phi = models.FloatField(_("camera polar angle (rad)"))
    orbit_radius = models.FloatField(_("camera distance (m)"))
    target_x = models.FloatField(_("camera target x"))
    target_y = models.FloatField(_("camera target y"))
    target_z = models.FloatField(_("camera target z"))
    field_of_view = models.FloatField(_("field of view (degrees)"))

    # Set by selectors.module_pins for the page (not stored): its number in the list, and where it points
    # in words (anchors.describe).
    number: int
    where: str

    class Meta:
        verbose_name = _("comment on the 3D model")
        verbose_name_plural = _("comments on the 3D model")
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["module", "created"], name="consult_model_pin_module")]

    def __str__(self) -> str:
        return self.text[:60]


class ModelReply(Moderated, BaseModel):
    pin = models.ForeignKey(
        ModelPin, on_delete=models.CASCADE, related_name="replies", verbose_name=_("comment")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_model_replies",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("reply"), max_length=REPLY_MAX)

    class Meta:
        verbose_name = _("reply on the 3D model")
        verbose_name_plural = _("replies on the 3D model")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.text[:60]


register("model_pin", ModelPin, module_path="module")
register("model_reply", ModelReply, module_path="pin__module")
