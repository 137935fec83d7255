"""Rooms (Sticky World): a module of ordered slides — an image, a page of a plan (a PDF page rendered on the
server) or a 360° panorama — on which residents pin comments, each with its thread of replies.

A pin on an image or a plan sits at x/y, fractions of the slide's width and height from its top left
corner; a pin on a panorama sits at yaw/pitch in degrees (yaw 0 is the panorama's centre, taken as north;
pitch 0 the horizon). One Room row per module holds its own opening dates and whether it is invite-only;
invitations keep the invitee's address encrypted and only a hash of the token mailed to them."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.consultations.contributions import Moderated, register
from gorod.core.crypto import EncryptedTextField
from gorod.core.models import BaseModel

PIN_MAX = 1000
REPLY_MAX = 1000


class SlideKind(models.TextChoices):
    IMAGE = "image", _("image")
    PLAN = "plan", _("plan (a page of a PDF)")
    PANORAMA = "panorama", _("360° panorama")


class Room(BaseModel):
    module = models.OneToOneField(
        "consultations.Module", on_delete=models.CASCADE, related_name="room", verbose_name=_("module")
    )
    # Within the phase, the room may open later and close earlier; empty means "as the phase".
    opens = models.DateTimeField(_("opens (empty: with the phase)"), null=True, blank=True)
    closes = models.DateTimeField(_("closes (empty: with the phase)"), null=True, blank=True)
    invite_only = models.BooleanField(_("invited people only"), default=False)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return f"room of module {self.module_id}"


class Slide(BaseModel):
    module = models.ForeignKey(
        "consultations.Module", on_delete=models.CASCADE, related_name="slides", verbose_name=_("module")
    )
    kind = models.CharField(_("kind of slide"), max_length=10, choices=SlideKind.choices)
    title = models.CharField(_("title"), max_length=200)
    # What the picture shows, in words: the alternative text for people who cannot see it.
    description = models.CharField(_("what it shows (for people who cannot see it)"), max_length=500)
    image = models.FileField(_("image"), upload_to="projects/rooms/")
    width = models.PositiveIntegerField(_("width, px"))
    height = models.PositiveIntegerField(_("height, px"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("slide")
        verbose_name_plural = _("slides")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Pin(Moderated, BaseModel):
    slide = models.ForeignKey(Slide, on_delete=models.CASCADE, related_name="pins", verbose_name=_("slide"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_pins",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("comment"), max_length=PIN_MAX)
    x = models.FloatField(_("x, share of the width"), null=True, blank=True)
    y = models.FloatField(_("y, share of the height"), null=True, blank=True)
    yaw = models.FloatField(_("yaw, degrees"), null=True, blank=True)
    pitch = models.FloatField(_("pitch, degrees"), null=True, blank=True)

    class Meta:
        verbose_name = _("pinned comment")
        verbose_name_plural = _("pinned comments")
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["slide", "created"], name="consult_pin_slide")]

    def __str__(self) -> str:
        return self.text[:60]


class PinReply(Moderated, BaseModel):
    pin = models.ForeignKey(Pin, on_delete=models.CASCADE, related_name="replies", verbose_name=_("pin"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_pin_replies",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("reply"), max_length=REPLY_MAX)

    class Meta:
        verbose_name = _("reply to a pinned comment")
        verbose_name_plural = _("replies to pinned comments")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class RoomInvitation(BaseModel):
    """An address invited into an invite-only room. The mailed link carries a random token; only its hash
    is kept. Whoever opens the link signed in becomes the member (`accepted_by`)."""

    module = models.ForeignKey(
        "consultations.Module",
        on_delete=models.CASCADE,
        related_name="room_invitations",
        verbose_name=_("module"),
    )
    email = EncryptedTextField(_("e-mail"))
    email_hash = models.CharField(_("e-mail look-up hash"), max_length=64, db_index=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="room_memberships",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("room invitation")
        verbose_name_plural = _("room invitations")
        constraints = [
            models.UniqueConstraint(fields=["module", "email_hash"], name="consult_room_invite_once")
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    @staticmethod
    def hash_token(token: str) -> str:
        """Tokens are 256 random bits: a plain SHA-256 makes the stored value useless to a reader."""
        return hashlib.sha256(token.encode()).hexdigest()


register("pin", Pin, module_path="slide__module")
register("pin_reply", PinReply, module_path="pin__slide__module")
