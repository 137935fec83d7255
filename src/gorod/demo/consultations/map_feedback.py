"""Demo map feedback for the park project: a "what do you think of this place" map in its open idea
phase, with its own questions and tags and about fifty contributions (pins, a few paths and areas,
paper responses from the meeting in the park, agreements, one hidden with its reason).

Made through the real services, each at its own moment inside the phase (core.clock.frozen), by demo
residents who exist only for this; the points are random but repeatable (the seed), inside the area."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from shapely.geometry import Point, box

from gorod.consultations import services as project_services
from gorod.consultations.errors import Refused
from gorod.consultations.map_feedback import services
from gorod.consultations.models import Phase, Project
from gorod.core import clock, geo

COUNT = 50
RESIDENTS = 15
COMMENTS = [
    "Вечером здесь совсем темно, нужны фонари.",
    "Любимое место: старые липы, не трогайте их.",
    "После дождя огромная лужа на дорожке.",
    "Не хватает скамеек в тени.",
    "Здесь хорошо бы сделать площадку для собак.",
    "Велосипедисты и пешеходы мешают друг другу.",
    "Прекрасный вид на пруд.",
    "Разбитый асфальт, трудно пройти с коляской.",
    "",
]
QUESTIONS = "Что вы здесь делаете?\nЧего здесь не хватает? | Скамеек | Света | Деревьев | Туалета"
TAGS = "дорожки, освещение, озеленение, площадки, безопасность"
ANSWERS = ["Гуляю с детьми", "Бегаю по утрам", "Иду на работу", "Выгуливаю собаку"]


def _inside(rng: random.Random, area) -> tuple[float, float]:
    west, south, east, north = area.bounds
    for _ in range(1000):
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if area.covers(Point(lon, lat)):
            return lat, lon
    centre = area.representative_point()
    return centre.y, centre.x


def _residents() -> list:
    users = get_user_model()
    return [
        users.objects.get_or_create(
            username=f"demo-park-resident-{i:02d}", defaults={"role": "citizen", "first_name": "Житель"}
        )[0]
        for i in range(1, RESIDENTS + 1)
    ]


def _geometry(rng: random.Random, area, k: int) -> dict:
    lat, lon = _inside(rng, area)
    if k % 10 == 3:  # a path someone walks
        lat2, lon2 = _inside(rng, area)
        return {"type": "LineString", "coordinates": [[lon, lat], [lon2, lat2]]}
    if k % 10 == 7:  # a corner that needs work
        small = box(lon - 0.0004, lat - 0.0002, lon + 0.0004, lat + 0.0002).intersection(area)
        if small.geom_type == "Polygon" and not small.is_empty:
            return {"type": "Polygon", "coordinates": [list(map(list, small.exterior.coords))]}
    return {"type": "Point", "coordinates": [lon, lat]}


def add_to_park(project: Project, phase: Phase, admin, *, seed: int) -> int:
    """The map module in `phase` (open now in the demo) with its contributions; returns how many."""
    rng = random.Random(seed)
    area = geo.geometry_from_geojson(project.area) if project.area else None
    if area is None or area.geom_type not in ("Polygon", "MultiPolygon"):
        return 0
    module = project_services.module_add(
        phase=phase,
        kind="map_feedback",
        title="Отметьте на карте, что хорошо и что плохо",
        description=(
            "Поставьте точку, проведите линию или обведите участок и расскажите, как вы к нему относитесь."
        ),
    )
    if admin is not None:
        services.settings_set(module=module, staff=admin, questions_text=QUESTIONS, tags_text=TAGS)
    module.refresh_from_db()
    tags = module.settings.get("tags", [])
    residents = _residents()
    span = (min(phase.ends, clock.now()) - phase.starts).total_seconds()
    made = []
    for k in range(COUNT):
        at = phase.starts + dt.timedelta(seconds=span * (k + 1) / (COUNT + 2))
        answers: dict[str, str] = {"q1": rng.choice(ANSWERS)} if rng.random() < 0.6 else {}
        if rng.random() < 0.5:
            answers["q2"] = rng.choice(["Скамеек", "Света", "Деревьев", "Туалета"])
        fields: dict[str, Any] = {
            "geometry": _geometry(rng, area, k),
            "sentiment": rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 2, 3, 2])[0],
            "comment": rng.choice(COMMENTS),
            "answers": answers,
            "tags": rng.sample(tags, k=rng.randint(0, 2)) if tags else [],
        }
        with clock.frozen(at):
            try:
                if k % 9 == 5 and admin is not None:
                    made.append(services.paper_response_add(module=module, staff=admin, **fields))
                else:
                    made.append(
                        services.contribution_add(module=module, user=residents[k % RESIDENTS], **fields)
                    )
            except Refused:
                continue  # a random point the city's snap tolerance refuses: the demo does without it
    with clock.frozen(phase.starts + dt.timedelta(seconds=span * (COUNT + 1) / (COUNT + 2))):
        for contribution in made[:20]:
            for resident in rng.sample(residents, k=rng.randint(0, 6)):
                if resident.pk != contribution.author_id:
                    services.agree(contribution=contribution, user=resident)
    if made and admin is not None:
        services.hide(
            contribution=made[-1], staff=admin, reason="Оскорбительные выражения (правила участия, п. 2)."
        )
    return len(made)
