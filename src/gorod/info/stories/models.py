"""A resident's story about their district and its photos.

A story is never deleted by moderation: a moderator publishes it or hides it with a reason from the
city's list (the same list reports are rejected with), and the story's page then shows that reason in
place of the text, as a rejected report keeps its page with its reason. Photo files live under
GOROD_PRIVATE_MEDIA_ROOT and are served through a view that asks whether they may be seen
(info.stories.photos), so a pending or hidden story's photo is never in the public media tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.core.models import BaseModel

MAX_TITLE = 200
MAX_BODY = 10_000
MAX_SIGNATURE = 80
MAX_HIDE_NOTE = 2000


class Story(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        PUBLISHED = "published", _("published")
        HIDDEN = "hidden", _("hidden by a moderator")

    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    district = models.ForeignKey(
        "city.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    # SET_NULL: erasing an account keeps what the city published under the story's signature only.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("author"),
    )
    # The author's page is found by this keyed hash of the account id, never by the id itself, so the
    # URL neither names a person nor lets anyone count or walk through accounts.
    author_key = models.CharField(_("author key"), max_length=24, db_index=True)
    signature = models.CharField(_("signature"), max_length=MAX_SIGNATURE)
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    body = models.TextField(_("text (Markdown)"), max_length=MAX_BODY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    hide_reason = models.ForeignKey(
        "city.RejectionReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reason for hiding"),
    )
    hide_note = models.TextField(_("moderator's explanation"), blank=True, max_length=MAX_HIDE_NOTE)

    class Meta:
        verbose_name = _("resident's story")
        verbose_name_plural = _("residents' stories")
        ordering = ["-published_at", "-created"]
        indexes = [
            models.Index(fields=["district", "status", "published_at"], name="story_district_list"),
            models.Index(fields=["municipality", "status", "created"], name="story_queue"),
        ]

    def __str__(self) -> str:
        return f"story {self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class StoryPhoto(BaseModel):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="photos", verbose_name=_("story"))
    # A path under GOROD_PRIVATE_MEDIA_ROOT of our own making (a uuid), never the uploader's file name.
    name = models.CharField(_("file"), max_length=200, unique=True)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    hidden = models.BooleanField(_("hidden from the public"), default=False)

    class Meta:
        verbose_name = _("story photo")
        verbose_name_plural = _("story photos")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"story photo {self.pk}"
