"""Demo moderation and demographics: the city's "about you" questions, thirty more park residents who
upvote questions and answer them (so the park's "who took part" page clears the threshold of 25), two
flagged ideas waiting on the moderation desk and one comment hidden with its reason."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from gorod.city.models import Municipality
from gorod.consultations import contributions, demographics
from gorod.consultations.demographics import DemographicQuestion
from gorod.consultations.ideas.models import Idea, IdeaComment
from gorod.consultations.questions.models import Question
from gorod.consultations.questions.services import question_upvote
from gorod.core import clock
from gorod.demo.consultations.contributions import PARK_SLUG

QUESTIONS = [
    ("age", "Ваш возраст", ["до 18", "18–34", "35–64", "65 и старше"]),
    ("gender", "Ваш пол", ["женский", "мужской", "другой"]),
    ("district", "Где вы живёте", ["в этом районе", "в соседнем районе", "в другом районе города"]),
    ("years", "Сколько лет вы живёте в городе", ["меньше года", "1–5 лет", "6–20 лет", "больше 20 лет"]),
]
PEOPLE = 30


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    if DemographicQuestion.objects.filter(municipality=municipality).exists():
        stdout.write("Moderation and demographics: already there.")
        return
    questions = [
        DemographicQuestion.objects.create(
            municipality=municipality, key=key, label=label, choices=choices, position=i
        )
        for i, (key, label, choices) in enumerate(QUESTIONS)
    ]
    rng = random.Random(seed)
    park_questions = list(
        Question.objects.filter(
            module__phase__project__slug=PARK_SLUG, module__phase__project__municipality=municipality
        )
        .select_related("module__phase")
        .order_by("id")
    )
    model = get_user_model()
    for i in range(PEOPLE):
        user, _ = model.objects.get_or_create(username=f"park-voice-{i + 1}", defaults={"role": "citizen"})
        if park_questions:
            question = rng.choice(park_questions)
            with clock.frozen(question.created + dt.timedelta(hours=1)):
                question_upvote(question=question, user=user)
        answers = {q.key: rng.choice([*q.choices, ""]) for q in questions}
        demographics.answers_save(municipality=municipality, user=user, answers=answers)
    moderator = model.objects.filter(role="moderator").order_by("id").first()
    ideas = list(Idea.objects.filter(module__phase__project__slug=PARK_SLUG).order_by("id")[:2])
    flaggers = list(model.objects.filter(username__startswith="park-voice-").order_by("id")[:3])
    for idea, reason in zip(ideas, ["Реклама", "Повтор другой идеи"], strict=False):
        for flagger in flaggers[: 1 + ideas.index(idea)]:
            contributions.flag_add(module=idea.module, target="idea", item=idea, user=flagger, reason=reason)
    comment = IdeaComment.objects.filter(idea__module__phase__project__slug=PARK_SLUG).order_by("id").first()
    if comment is not None and moderator is not None:
        contributions.hide(item=comment, reason="Личные данные соседа в тексте", actor=moderator)
    stdout.write(f"Moderation and demographics: {len(questions)} questions, {PEOPLE} residents answered.")
