"""Demographics (Commonplace): optional questions about a person (age band, gender, district, years lived
here), defined per city as data and answered once per account. The answers live in their own table with
no link from any contribution: a project sees them only as counts over its participants, and only when at
least MIN_GROUP of them answered a question (smaller groups would let a reader pick out a person).
Never in a page per person, never in an export of contributions or open data; the account's own privacy
export is the one place a person's answers appear (docs/consultations.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gorod.consultations.errors import Refused
from gorod.core.models import BaseModel

MIN_GROUP = 25


class DemographicQuestion(BaseModel):
    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_l("municipality")
    )
    key = models.SlugField(_l("key"), max_length=40)
    label = models.CharField(_l("question"), max_length=200)
    # The answers offered, in order, as a JSON list of strings (shown as typed).
    choices = models.JSONField(_l("answers offered"), default=list)
    position = models.PositiveSmallIntegerField(_l("position"), default=0)

    class Meta:
        verbose_name = _l("demographic question")
        verbose_name_plural = _l("demographic questions")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="consult_demo_q_key")]

    def __str__(self) -> str:
        return self.label


class DemographicAnswer(models.Model):
    question = models.ForeignKey(
        DemographicQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_l("question")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_l("account")
    )
    choice = models.CharField(_l("answer"), max_length=200)

    class Meta:
        verbose_name = _l("demographic answer")
        verbose_name_plural = _l("demographic answers")
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="consult_demo_once")]

    def __str__(self) -> str:
        return f"{self.question_id}"


def questions_for(municipality_id: int):
    return DemographicQuestion.objects.filter(municipality_id=municipality_id)


def has_answered(user, municipality_id: int) -> bool:
    return DemographicAnswer.objects.filter(user=user, question__municipality_id=municipality_id).exists()


@transaction.atomic
def answers_save(*, municipality, user, answers: dict[str, str]) -> int:
    """Store the person's answers (key → one of the offered choices; blank = prefer not to say). Asked once
    per account: a second call is refused. Returns how many were stored."""
    if user is None or not user.is_authenticated:
        raise Refused(_("Sign in to take part."))
    if has_answered(user, municipality.pk):
        raise Refused(_("You have already answered these questions."))
    stored = 0
    questions = {q.key: q for q in questions_for(municipality.pk)}
    for key in answers:
        if key not in questions:
            raise Refused(_("Unknown question."), field=key)
    for key, choice in answers.items():
        choice = (choice or "").strip()
        if not choice:
            continue
        if choice not in questions[key].choices:
            raise Refused(_("Choose one of the answers offered."), field=key)
        DemographicAnswer.objects.create(question=questions[key], user=user, choice=choice)
        stored += 1
    return stored


@dataclass
class Aggregate:
    question: DemographicQuestion
    answered: int
    rows: list[tuple[str, int]] | None  # None: fewer than MIN_GROUP answered, nothing shown


def project_aggregates(project) -> list[Aggregate]:
    """Counts per answer among the project's participants, per question; suppressed under MIN_GROUP."""
    out = []
    participants = project.participations.values("user")
    for question in questions_for(project.municipality_id):
        counts = dict(
            DemographicAnswer.objects.filter(question=question, user__in=participants)
            .values_list("choice")
            .annotate(n=Count("id"))
            .values_list("choice", "n")
        )
        answered = sum(counts.values())
        rows = [(c, counts.get(c, 0)) for c in question.choices] if answered >= MIN_GROUP else None
        out.append(Aggregate(question=question, answered=answered if rows else 0, rows=rows))
    return out


def own_answers(user) -> list[dict]:
    """The person's own answers, for their privacy export only."""
    return [
        {"question": a.question.label, "answer": a.choice}
        for a in DemographicAnswer.objects.filter(user=user).select_related("question")
    ]
