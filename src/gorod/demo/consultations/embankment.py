"""What residents said in the embankment project's closed phase, before its final report: a map with pins
(some on paper) and questions the city answered. Made at moments inside that phase (filling.py)."""

from __future__ import annotations

import random

from gorod.consultations import services
from gorod.consultations.map_feedback import services as map_services
from gorod.consultations.models import Project
from gorod.core import clock, geo
from gorod.demo.consultations import city_texts as words
from gorod.demo.consultations import filling, people

PINS = 40
RESIDENTS = 40


def add_voices(project: Project, admin, official, *, seed: int) -> tuple[int, int]:
    """Returns how many pins and questions; none when the project has no area or there is no administrator."""
    if admin is None or not project.area:
        return 0, 0
    phase = project.phase_list()[0]
    rng = random.Random(seed + 7)
    crowd = people.residents(RESIDENTS)
    with clock.frozen(phase.starts):
        board = services.module_add(
            phase=phase,
            kind="map_feedback",
            title="Карта набережной: что хорошо и что плохо",
            description="Отметьте места, которые стоит сохранить или изменить.",
        )
        map_services.settings_set(
            module=board,
            staff=admin,
            questions_text=words.EMBANKMENT_MAP_QUESTIONS,
            tags_text="свет, скамейки, велосипеды, спуск к воде",
        )
        qa = services.module_add(phase=phase, kind="questions", title="Вопросы администрации района")
    board.refresh_from_db()
    area = geo.geometry_from_geojson(project.area)
    pins = filling.map_pins(
        module=board, area=area, people=crowd, staff=admin, rng=rng, count=PINS, voices=words.EMBANKMENT_MAP
    )
    filling.questions(
        module=qa, asked=words.EMBANKMENT_QUESTIONS, people=crowd, official=official or admin, rng=rng
    )
    return pins, len(words.EMBANKMENT_QUESTIONS)
