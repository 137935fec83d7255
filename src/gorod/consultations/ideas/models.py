"""Idea wall: residents post short ideas, others support each once and comment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.consultations.contributions import Moderated, register
from gorod.core import clock
from gorod.core.models import BaseModel

TITLE_MAX = 120
IDEA_MAX = 1000
COMMENT_MAX = 1000


class Idea(Moderated, BaseModel):
    module = models.ForeignKey(
        "consultations.Module", on_delete=models.CASCADE, related_name="ideas", verbose_name=_("module")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_ideas",
        verbose_name=_("posted by"),
    )
    title = models.CharField(_("idea in a few words"), max_length=TITLE_MAX)
    text = models.TextField(_("details"), max_length=IDEA_MAX, blank=True)
    # Came in by SMS (consultations/textin): no account behind it, and the page says so.
    by_text_message = models.BooleanField(_("by text message"), default=False)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["module", "created"], name="consult_idea_module")]

    def __str__(self) -> str:
        return self.title


class IdeaSupport(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports", verbose_name=_("idea"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user"))
    created = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("idea support")
        verbose_name_plural = _("idea supports")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="consult_idea_support_once")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.user_id}"


class IdeaComment(Moderated, BaseModel):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments", verbose_name=_("idea"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_idea_comments",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("comment"), max_length=COMMENT_MAX)

    class Meta:
        verbose_name = _("comment on an idea")
        verbose_name_plural = _("comments on ideas")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.text[:60]


register("idea", Idea, module_path="module", text_field="title")
register("comment", IdeaComment, module_path="idea__module")
