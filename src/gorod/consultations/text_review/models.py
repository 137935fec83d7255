"""Text review (adhocracy's paragraph comments): staff put up a draft as paragraphs of Markdown; residents
comment on a paragraph."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.consultations.contributions import Moderated, register
from gorod.core.models import BaseModel

PARAGRAPH_MAX = 5000
COMMENT_MAX = 1000


class Paragraph(BaseModel):
    module = models.ForeignKey(
        "consultations.Module", on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("module")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text (Markdown)"), max_length=PARAGRAPH_MAX)

    class Meta:
        verbose_name = _("paragraph of a draft")
        verbose_name_plural = _("paragraphs of a draft")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ParagraphComment(Moderated, BaseModel):
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="comments", verbose_name=_("paragraph")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_paragraph_comments",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("comment"), max_length=COMMENT_MAX)

    class Meta:
        verbose_name = _("comment on a paragraph")
        verbose_name_plural = _("comments on paragraphs")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.text[:60]


register("paragraph_comment", ParagraphComment, module_path="paragraph__module")
