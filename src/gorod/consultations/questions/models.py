"""Q&A (coUrbanize): residents ask in a module, the city answers publicly, others upvote a question once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.consultations.contributions import Moderated, register
from gorod.core import clock
from gorod.core.models import BaseModel

QUESTION_MAX = 1000
ANSWER_MAX = 4000


class Question(Moderated, BaseModel):
    module = models.ForeignKey(
        "consultations.Module", on_delete=models.CASCADE, related_name="questions", verbose_name=_("module")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_questions",
        verbose_name=_("asked by"),
    )
    text = models.TextField(_("question"), max_length=QUESTION_MAX)
    # Came in by SMS (consultations/textin): no account behind it, and the page says so.
    by_text_message = models.BooleanField(_("by text message"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["module", "created"], name="consult_question_module")]

    def __str__(self) -> str:
        return self.text[:60]


class Answer(Moderated, BaseModel):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_answers",
        verbose_name=_("answered by"),
    )
    text = models.TextField(_("answer"), max_length=ANSWER_MAX)
    # Set from the author's role when the answer is given, so a later change of role does not rewrite
    # what the page said: an official answer speaks for the city.
    official = models.BooleanField(_("official answer"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class QuestionUpvote(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="upvotes", verbose_name=_("question")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user"))
    created = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("question upvote")
        verbose_name_plural = _("question upvotes")
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="consult_upvote_once")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.user_id}"


register("question", Question, module_path="module")
register("answer", Answer, module_path="question__module")
