"""Demo content: a Q&A and an idea wall in the park project's open phase, with questions (some answered by
the city, one waiting for days), upvotes, ideas, support and comments from a handful of demo residents.
Each contribution is made through the real services at a moment inside the phase (clock.frozen), so the
back office shows questions of different ages."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from gorod.city.models import Municipality
from gorod.consultations.ideas.services import idea_comment, idea_post, idea_support
from gorod.consultations.models import Module, Project
from gorod.consultations.questions.services import answer_post, question_ask, question_upvote
from gorod.consultations.services import module_add
from gorod.core import clock

PARK_SLUG = "park-redesign"
RESIDENTS = 8
QUESTIONS = [
    (
        "Сохранят ли старые липы вдоль главной аллеи?",
        "Да. Все здоровые деревья остаются; больные заменят молодыми липами.",
    ),
    (
        "Будет ли в парке освещение вдоль дорожек к метро?",
        "Да, фонари поставят вдоль всех дорожек, ведущих к выходам из парка.",
    ),
    ("Где будет площадка для выгула собак?", ""),
    (
        "Сколько продлятся работы и будет ли парк закрыт целиком?",
        "Работы пойдут по частям; парк целиком закрывать не будут.",
    ),
    ("Появятся ли в парке общественные туалеты?", ""),
]
IDEAS = [
    ("Площадка для собак у пруда", "С оградой и питьевым фонтанчиком."),
    ("Велодорожка через весь парк", "Чтобы не ездить по пешеходным дорожкам."),
    ("Больше скамеек в тени", ""),
    ("Летний кинотеатр на поляне", "Показы по пятницам."),
    (
        "Тренажёры для пожилых",
        "Рядом с детской площадкой, чтобы бабушки занимались.",
    ),
]
COMMENTS = [
    "Поддерживаю, очень нужно.",
    "Только не вместо газона, пожалуйста.",
    "Хорошо бы ещё навес от дождя.",
]


def _residents() -> list:
    model = get_user_model()
    people = []
    for i in range(1, RESIDENTS + 1):
        user, created = model.objects.get_or_create(
            username=f"park-resident-{i}", defaults={"role": "citizen"}
        )
        if created:
            user.set_unusable_password()  # demo voices only; nobody signs in as them
            user.save()
        people.append(user)
    return people


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    project = Project.objects.filter(municipality=municipality, slug=PARK_SLUG).first()
    if project is None:
        return
    if Module.objects.filter(phase__project=project, kind__in=["questions", "idea_wall"]).exists():
        stdout.write("Q&A and idea wall: already there.")
        return
    phase = project.phase_list()[0]
    official = get_user_model().objects.filter(role="executor").order_by("id").first()
    rng = random.Random(seed)
    people = _residents()
    at = phase.starts + dt.timedelta(hours=2)
    with clock.frozen(at):
        qa = module_add(
            phase=phase,
            kind="questions",
            title="Вопросы архитекторам и администрации",
            description=(
                "Спросите о проекте — ответ администрации будет опубликован здесь и отмечен как официальный."
            ),
        )
        wall = module_add(
            phase=phase,
            kind="idea_wall",
            title="Стена идей для парка",
            description="Коротко опишите, чего не хватает в парке, и поддержите идеи соседей.",
        )
    count = 0
    for i, (text, answer) in enumerate(QUESTIONS):
        at = phase.starts + dt.timedelta(days=1 + 2 * i, hours=rng.randint(8, 20))
        with clock.frozen(at):
            question = question_ask(module=qa, user=people[i % RESIDENTS], text=text)
            for voter in rng.sample(people, rng.randint(1, RESIDENTS - 1)):
                if voter != people[i % RESIDENTS]:
                    question_upvote(question=question, user=voter)
                    count += 1
        if answer and official is not None:
            with clock.frozen(at + dt.timedelta(days=1)):
                answer_post(question=question, user=official, text=answer)
        count += 1
    for i, (title, text) in enumerate(IDEAS):
        at = phase.starts + dt.timedelta(days=1 + i, hours=rng.randint(8, 20))
        author = people[(i + 3) % RESIDENTS]
        with clock.frozen(at):
            idea = idea_post(module=wall, user=author, title=title, text=text)
            for supporter in rng.sample(people, rng.randint(1, RESIDENTS - 1)):
                if supporter != author:
                    idea_support(idea=idea, user=supporter)
                    count += 1
            for comment in rng.sample(COMMENTS, rng.randint(0, 2)):
                idea_comment(idea=idea, user=rng.choice(people), text=comment)
                count += 1
        count += 1
    stdout.write(f"Q&A and idea wall: {count} contributions in {PARK_SLUG}.")
