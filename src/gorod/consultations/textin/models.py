"""Text-in's tables: the keywords staff put on signs, the log of inbound messages (one row per provider
message id: a replayed webhook finds its row and changes nothing), the numbers that texted STOP, and the
numbers a moderator barred."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.core.crypto import EncryptedTextField
from gorod.core.models import BaseModel

WORD_MAX = 20
REASON_MAX = 300


class Keyword(BaseModel):
    """KEYWORD → a module of a project. `word` is stored upper-cased with Ё as Е, so the unique constraint
    makes keywords unique per municipality whatever the case a resident types."""

    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    word = models.CharField(_("keyword"), max_length=WORD_MAX)
    module = models.ForeignKey(
        "consultations.Module",
        on_delete=models.CASCADE,
        related_name="text_keywords",
        verbose_name=_("module the messages go to"),
    )
    active = models.BooleanField(_("taking messages"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("text-in keyword")
        verbose_name_plural = _("text-in keywords")
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "word"], name="textin_keyword_unique"),
        ]

    def __str__(self) -> str:
        return self.word


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("taken as a contribution")
    UNKNOWN = "unknown", _("unknown keyword")
    EMPTY = "empty", _("no text after the keyword")
    INVALID = "invalid", _("text refused")
    CLOSED = "closed", _("phase not open")
    BARRED = "barred", _("number barred")
    LIMITED = "limited", _("too many messages")
    STOP = "stop", _("STOP: no more replies")
    START = "start", _("START: replies again")
    HELP = "help", _("asked for help")


class TextMessage(BaseModel):
    """One inbound message. The text itself is kept only in the contribution it became; a refused message
    keeps its outcome and the word it started with (to fix a sign people misread), not its text."""

    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    gateway = models.CharField(_("gateway"), max_length=20)
    message_id = models.CharField(_("provider's message id"), max_length=64)
    phone = EncryptedTextField(_("sender's number"), blank=True)
    phone_hash = models.CharField(_("sender look-up hash"), max_length=64, blank=True, db_index=True)
    word = models.CharField(_("first word"), max_length=WORD_MAX, blank=True)
    keyword = models.ForeignKey(
        Keyword,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("keyword"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    idea = models.ForeignKey(
        "consultations.Idea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("idea it became"),
    )
    question = models.ForeignKey(
        "consultations.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question it became"),
    )

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "message_id"], name="textin_message_once"),
        ]
        indexes = [models.Index(fields=["municipality", "created"], name="textin_message_recent")]

    def __str__(self) -> str:
        return f"{self.gateway} #{self.pk} ({self.outcome})"

    @property
    def contribution(self):
        return self.idea or self.question


class OptOut(BaseModel):
    """A number that texted STOP gets no more replies until it texts START. Kept by hash only, and kept
    when the number's messages are erased, so an erasure never restarts replies."""

    phone_hash = models.CharField(_("number look-up hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("number that texted STOP")
        verbose_name_plural = _("numbers that texted STOP")

    def __str__(self) -> str:
        return f"opt-out #{self.pk}"


class NumberBan(BaseModel):
    """A moderator barred a number from the city's text-in, as moderation.Ban bars an account."""

    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    phone_hash = models.CharField(_("number look-up hash"), max_length=64, db_index=True)
    # Masked when barred ("+7 ••• ••• •• 67"), so the list of bans needs no decryption.
    shown_as = models.CharField(_("number, masked"), max_length=40)
    reason = models.CharField(_("reason"), max_length=REASON_MAX)
    until = models.DateTimeField(_("until (empty: until lifted)"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("barred by"),
    )

    class Meta:
        verbose_name = _("barred number")
        verbose_name_plural = _("barred numbers")

    def __str__(self) -> str:
        return f"{self.shown_as} @ {self.municipality_id}"
