"""A survey with one question of each kind, built through the services (shared by the survey tests)."""

from __future__ import annotations

from gorod.consultations.services import module_add
from gorod.consultations.surveys.services import question_add

# Inside the test city's north district (see conftest.PARK).
INSIDE = ("59.985", "30.26")


def make_survey(phase, admin, *, anonymous: bool = False):
    module = module_add(
        phase=phase, kind="survey", title="Park survey", settings={"anonymous": True} if anonymous else {}
    )
    q = {
        "single": question_add(
            module=module,
            actor=admin,
            kind="single",
            text="How often do you come?",
            options=["Daily", "Weekly", "Rarely"],
        ),
        "multiple": question_add(
            module=module,
            actor=admin,
            kind="multiple",
            text="What do you do there?",
            options=["Walk", "Run", "Read"],
        ),
        "scale": question_add(module=module, actor=admin, kind="scale", text="How safe is it?", scale_max=5),
        "ranking": question_add(
            module=module,
            actor=admin,
            kind="ranking",
            text="What first?",
            options=["Lights", "Benches", "Paths"],
        ),
        "text": question_add(module=module, actor=admin, kind="text", text="Anything else?", required=False),
        "point": question_add(
            module=module, actor=admin, kind="point", text="Where is it worst?", required=False
        ),
    }
    return module, q


def answers(q, *, single="0", multiple=("0", "2"), scale="4", ranking=("2", "1", "3"), text="", point=()):
    return {
        q["single"].pk: [single],
        q["multiple"].pk: list(multiple),
        q["scale"].pk: [scale],
        q["ranking"].pk: list(ranking),
        q["text"].pk: [text],
        q["point"].pk: list(point),
    }
