"""The demo residents who take part in the city's engagement projects (beyond the park's own voices): accounts
nobody signs in as, most of whom answered the city's optional "about you" questions, so each project's
"who took part" aggregate clears its threshold of 25 people."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from gorod.city.models import Municipality
from gorod.consultations import demographics

PREFIX = "spb-voice-"


def residents(count: int) -> list:
    model = get_user_model()
    existing = {u.username: u for u in model.objects.filter(username__startswith=PREFIX)}
    people = []
    for i in range(1, count + 1):
        name = f"{PREFIX}{i:03d}"
        user = existing.get(name)
        if user is None:
            user = model(username=name, role="citizen")
            user.set_unusable_password()  # demo voices only; nobody signs in as them
            user.save()
        people.append(user)
    return people


def answer_about_themselves(municipality: Municipality, people: list, rng: random.Random) -> int:
    """Nine in ten answer the demographic questions (some skip one); returns how many answered."""
    questions = list(demographics.questions_for(municipality.pk))
    if not questions:
        return 0
    answered = 0
    for person in people:
        if rng.random() < 0.1 or demographics.has_answered(person, municipality.pk):
            continue
        answers = {
            q.key: rng.choice([*q.choices, ""]) if rng.random() < 0.2 else rng.choice(q.choices)
            for q in questions
        }
        demographics.answers_save(municipality=municipality, user=person, answers=answers)
        answered += 1
    return answered
