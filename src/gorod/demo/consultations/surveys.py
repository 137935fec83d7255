"""Demo content: a survey (every kind of question, about 200 responses) and a draft of the park's rules with
a few paragraph comments, in the park project's open phase. Made through the real services at moments
inside the phase (clock.frozen); the respondents are demo accounts nobody signs in as."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from gorod.city.models import Municipality
from gorod.consultations.models import Module, Project
from gorod.consultations.services import module_add
from gorod.consultations.surveys.services import question_add, response_submit
from gorod.consultations.text_review.services import draft_set, paragraph_comment
from gorod.core import clock

PARK_SLUG = "park-redesign"
RESPONSES = 200
DRAFT = """## Правила посещения парка (проект)

Парк открыт для посетителей круглосуточно. Освещение главных аллей работает с заката до 1:00.

Выгул собак разрешён на поводке на всех дорожках и без поводка — только на специальной площадке у пруда.

Велосипеды и самокаты — только по велодорожке; по пешеходным аллеям их ведут рядом.

Разведение костров и использование мангалов запрещено, кроме оборудованных мест на северной поляне."""
COMMENTS = [
    (1, "Круглосуточно — хорошо, но освещение нужно до утра, иначе ночью страшно."),
    (2, "Площадка у пруда далеко от нашего дома; нужна вторая, у северного входа."),
    (3, "Велодорожка пока не построена — где ездить до её открытия?"),
    (3, "Поддерживаю: на аллеях самокаты мешают детям."),
    (4, "Мангалы на поляне — отлично, только нужны урны побольше."),
]
OPTIONS_HOW_OFTEN = ["Каждый день", "Раз в неделю", "Раз в месяц", "Реже"]
OPTIONS_WHAT = ["Гуляю", "Бегаю", "Гуляю с детьми", "Выгуливаю собаку", "Читаю, отдыхаю"]
OPTIONS_FIRST = ["Освещение", "Скамейки", "Дорожки", "Детская площадка"]
TEXTS = ["Больше урн у входов.", "Питьевые фонтанчики летом.", "Туалет у детской площадки.", ""]


def _respondents(n: int) -> list:
    model = get_user_model()
    people = []
    for i in range(1, n + 1):
        user, created = model.objects.get_or_create(
            username=f"survey-resident-{i}", defaults={"role": "citizen"}
        )
        if created:
            user.set_unusable_password()  # demo voices only; nobody signs in as them
            user.save()
        people.append(user)
    return people


def _answers(q: dict, rng: random.Random, centre: tuple[float, float]) -> dict[int, list[str]]:
    ranking = list(range(1, len(OPTIONS_FIRST) + 1))
    rng.shuffle(ranking)
    lat, lon = centre
    point = [f"{lat + rng.uniform(-0.002, 0.002):.6f}", f"{lon + rng.uniform(-0.003, 0.003):.6f}"]
    return {
        q["often"].pk: [str(min(3, int(rng.expovariate(1.2))))],
        q["what"].pk: [str(i) for i in rng.sample(range(len(OPTIONS_WHAT)), rng.randint(1, 3))],
        q["safe"].pk: [str(rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 5, 3])[0])],
        q["first"].pk: [str(p) for p in ranking],
        q["else"].pk: [rng.choice(TEXTS)],
        q["where"].pk: point if rng.random() < 0.4 else [],
    }


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    project = Project.objects.filter(municipality=municipality, slug=PARK_SLUG).first()
    admin = get_user_model().objects.filter(role="city_admin").order_by("id").first()
    if project is None or admin is None or project.center_lat is None or project.center_lon is None:
        return
    if Module.objects.filter(phase__project=project, kind__in=["survey", "text_review"]).exists():
        stdout.write("Survey and draft text: already there.")
        return
    phase = project.phase_list()[0]
    rng = random.Random(seed)
    with clock.frozen(phase.starts + dt.timedelta(hours=3)):
        survey = module_add(
            phase=phase,
            kind="survey",
            title="Опрос: каким должен быть парк",
            description="Пять минут: как вы пользуетесь парком и что сделать в первую очередь.",
            settings={"anonymous": True},
        )
        q = {
            "often": question_add(
                module=survey,
                actor=admin,
                kind="single",
                text="Как часто вы бываете в парке?",
                options=OPTIONS_HOW_OFTEN,
            ),
            "what": question_add(
                module=survey,
                actor=admin,
                kind="multiple",
                text="Что вы делаете в парке?",
                options=OPTIONS_WHAT,
            ),
            "safe": question_add(
                module=survey,
                actor=admin,
                kind="scale",
                text="Насколько безопасно в парке вечером?",
                scale_max=5,
            ),
            "first": question_add(
                module=survey,
                actor=admin,
                kind="ranking",
                text="Что сделать в первую очередь?",
                options=OPTIONS_FIRST,
            ),
            "else": question_add(
                module=survey, actor=admin, kind="text", text="Чего ещё не хватает?", required=False
            ),
            "where": question_add(
                module=survey,
                actor=admin,
                kind="point",
                text="Где в парке неуютно? Отметьте на карте.",
                required=False,
            ),
        }
        draft = module_add(
            phase=phase,
            kind="text_review",
            title="Проект правил посещения парка",
            description="Прокомментируйте любой абзац: что оставить, что изменить.",
        )
        paragraphs = draft_set(module=draft, actor=admin, text=DRAFT)
    centre = (project.center_lat, project.center_lon)
    span = max(1.0, (min(clock.now(), phase.ends) - phase.starts).total_seconds())
    people = _respondents(RESPONSES)
    for person in people:
        with clock.frozen(phase.starts + dt.timedelta(seconds=rng.uniform(3 * 3600, span))):
            response_submit(module=survey, user=person, answers=_answers(q, rng, centre))
    for i, (index, text) in enumerate(COMMENTS):
        with clock.frozen(phase.starts + dt.timedelta(days=1 + i, hours=rng.randint(8, 20))):
            paragraph_comment(paragraph=paragraphs[index], user=people[i], text=text)
    stdout.write(f"Survey and draft text: {RESPONSES} responses, {len(COMMENTS)} comments in {PARK_SLUG}.")
