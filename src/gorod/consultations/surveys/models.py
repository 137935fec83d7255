"""Surveys and polls: staff set the questions; a resident answers once. One answer row per chosen option
(single, multiple, ranking) or per value (scale, text, point), so results are a GROUP BY in SQL."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.core import clock
from gorod.core.models import BaseModel

QUESTION_MAX = 500
OPTION_MAX = 200
TEXT_MAX = 2000
SCALES = {5: (1, 5), 10: (0, 10)}  # the scale's top → its (lowest, highest) value
RANDOM_ID_MAX = 2**63 - 1


def random_id() -> int:
    """A primary key drawn at insert, 1 .. 2**63-1 (fits a signed 64-bit column on SQLite and PostgreSQL).
    Responses and their answers take these rather than a sequence, so that neither their ids nor their
    order follow the order people answered in: in an anonymous survey that order is the one the
    SurveyParticipant rows (which name the people) were inserted in. A collision (about 1 in 10^18 per
    pair) is an IntegrityError the service retries with fresh ids."""
    return secrets.randbelow(RANDOM_ID_MAX) + 1


class SurveyQuestion(BaseModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE = "scale", _("scale")
        RANKING = "ranking", _("ranking")
        TEXT = "text", _("free text")
        POINT = "point", _("a point on the map")

    module = models.ForeignKey(
        "consultations.Module",
        on_delete=models.CASCADE,
        related_name="survey_questions",
        verbose_name=_("module"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind of question"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=QUESTION_MAX)
    options = models.JSONField(_("options"), default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(_("top of the scale"), null=True, blank=True)
    required = models.BooleanField(_("answer required"), default=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"  # the form's field, and Refused.field for an answer to it

    @property
    def scale_values(self) -> list[int]:
        low, high = SCALES.get(self.scale_max or 5, (1, 5))
        return list(range(low, high + 1))


class SurveyParticipant(models.Model):
    """That an account has answered the module's survey: one row per person, the unique constraint keeps it
    to one under concurrency. Kept apart from the response so an anonymous response names nobody."""

    module = models.ForeignKey(
        "consultations.Module", on_delete=models.CASCADE, related_name="+", verbose_name=_("module")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user"))

    class Meta:
        verbose_name = _("survey participant")
        verbose_name_plural = _("survey participants")
        constraints = [models.UniqueConstraint(fields=["module", "user"], name="consult_survey_once")]

    def __str__(self) -> str:
        return f"{self.module_id}: {self.user_id}"


class SurveyResponse(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    module = models.ForeignKey(
        "consultations.Module",
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("module"),
    )
    # Empty in an anonymous survey.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    # In an anonymous survey only the day: midnight of the city's local day (services.response_submit), so
    # the time cannot be matched against anything else the person did that day.
    created = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["id"]  # random ids: a neutral order that says nothing of who answered first

    def __str__(self) -> str:
        return f"{self.module_id}: {self.pk}"


class SurveyAnswer(models.Model):
    # Random too: sequential answer ids would number the responses in the order they came in.
    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    # The chosen option's index (single, multiple, ranking).
    option = models.PositiveSmallIntegerField(_("option"), null=True, blank=True)
    # The scale's value, or the option's place in a ranking (1 = first).
    number = models.SmallIntegerField(_("value or place"), null=True, blank=True)
    text = models.TextField(_("text"), max_length=TEXT_MAX, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        # Results read these two alone (covering), so 50,000 responses are counted from the indexes: the
        # GROUP BY, and the distinct respondents of a multiple-choice question.
        indexes = [
            models.Index(fields=["question", "option", "number"], name="consult_survey_answer_agg"),
            models.Index(fields=["question", "response"], name="consult_survey_answer_resp"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.question_id}"
