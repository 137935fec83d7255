"""Fill a demo module with residents' contributions through the real services, each at its own moment
inside the module's phase (core.clock.frozen), so ages, orders and "first contribution" dates look lived-in.

Shared by the demo projects of city_projects.py. Everything random comes from the `rng` passed in: the same
seed gives the same demo. A contribution a service refuses (a random point the city's snap tolerance
does not take, say) is left out: the demo does without it rather than failing."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from gorod.consultations.errors import Refused
from gorod.consultations.ideas.services import idea_comment, idea_post, idea_support
from gorod.consultations.map_feedback import services as map_services
from gorod.consultations.models import Module, Phase
from gorod.consultations.questions.services import answer_post, question_ask, question_upvote
from gorod.consultations.text_review.services import paragraph_comment
from gorod.core import clock


@dataclass(frozen=True)
class Asked:
    """A question for a Q&A module and the official answer (empty: still waiting)."""

    text: str
    answer: str = ""


def moment(phase: Phase, share: float) -> dt.datetime:
    """A moment `share` (0..1) of the way through the part of the phase that has already happened."""
    end = min(phase.ends, clock.now())
    span = max(3600.0, (end - phase.starts).total_seconds() - 3600)
    return phase.starts + dt.timedelta(seconds=1800 + span * share)


def point_inside(rng: random.Random, area: BaseGeometry) -> tuple[float, float]:
    west, south, east, north = area.bounds
    for _ in range(200):
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if area.covers(Point(lon, lat)):
            return lat, lon
    centre = area.representative_point()
    return centre.y, centre.x


def _geometry(rng: random.Random, area: BaseGeometry, lines: float) -> dict:
    lat, lon = point_inside(rng, area)
    if rng.random() < lines:  # a stretch someone walks or rides
        lat2, lon2 = point_inside(rng, area)
        return {"type": "LineString", "coordinates": [[lon, lat], [lon2, lat2]]}
    return {"type": "Point", "coordinates": [lon, lat]}


@dataclass(frozen=True)
class MapVoices:
    """What residents say on a map: comments by sentiment (1 = very negative … 5 = very positive) and the
    answers to the module's own first question."""

    comments: dict[int, Sequence[str]]
    answers: Sequence[str] = ()
    lines: float = 0.1  # share of lines among the contributions


def map_pins(
    *,
    module: Module,
    area: BaseGeometry,
    people: list,
    staff,
    rng: random.Random,
    count: int,
    voices: MapVoices,
) -> int:
    """`count` contributions on the map (one in ten on paper, typed in by staff), then agreements."""
    tags = list(module.settings.get("tags", []))
    west, _south, east, _north = area.bounds
    made = []
    for k in range(count):
        geometry = _geometry(rng, area, voices.lines)
        # People feel alike about one place: worse in the west of the area, better in the east, so the
        # heatmap shows a pattern rather than noise.
        lon = geometry["coordinates"][0] if geometry["type"] == "Point" else geometry["coordinates"][0][0]
        east_share = (lon - west) / ((east - west) or 1)
        mood = min(5, max(1, round(1 + 4 * east_share + rng.gauss(0, 0.9))))
        sentiment = mood if rng.random() < 0.8 else rng.randint(1, 5)
        fields: dict[str, Any] = {
            "geometry": geometry,
            "sentiment": sentiment,
            "comment": rng.choice(list(voices.comments[sentiment])),
            "answers": {"q1": rng.choice(list(voices.answers))}
            if voices.answers and rng.random() < 0.6
            else {},
            "tags": rng.sample(tags, k=rng.randint(0, min(2, len(tags)))),
        }
        with clock.frozen(moment(module.phase, (k + 1) / (count + 2))):
            try:
                if k % 10 == 4 and staff is not None:
                    made.append(map_services.paper_response_add(module=module, staff=staff, **fields))
                else:
                    made.append(
                        map_services.contribution_add(module=module, user=people[k % len(people)], **fields)
                    )
            except Refused:
                continue
    with clock.frozen(moment(module.phase, (count + 1) / (count + 2))):
        for contribution in rng.sample(made, k=len(made) // 3):
            for resident in rng.sample(people, k=rng.randint(1, min(6, len(people)))):
                if resident.pk != contribution.author_id:
                    map_services.agree(contribution=contribution, user=resident)
    return len(made)


def questions(*, module: Module, asked: Sequence[Asked], people: list, official, rng: random.Random) -> int:
    """The questions in order through the phase, upvoted by a few residents each; the official answers a
    day or two later (never after now)."""
    made = 0
    for i, item in enumerate(asked):
        at = moment(module.phase, (i + 1) / (len(asked) + 1))
        author = people[(i * 7) % len(people)]
        with clock.frozen(at):
            question = question_ask(module=module, user=author, text=item.text)
            for voter in rng.sample(people, k=rng.randint(0, min(12, len(people)))):
                if voter.pk != author.pk:
                    question_upvote(question=question, user=voter)
        made += 1
        if item.answer and official is not None:
            with clock.frozen(min(at + dt.timedelta(days=rng.randint(1, 3)), clock.now())):
                answer_post(question=question, user=official, text=item.answer)
            made += 1
    return made


def ideas(
    *,
    module: Module,
    items: Sequence[tuple[str, str]],
    comments: Sequence[str],
    people: list,
    rng: random.Random,
) -> int:
    """Ideas (title, details) with support from a few residents each and now and then a comment."""
    made = 0
    for i, (title, text) in enumerate(items):
        author = people[(i * 5 + 2) % len(people)]
        with clock.frozen(moment(module.phase, (i + 1) / (len(items) + 1))):
            idea = idea_post(module=module, user=author, title=title, text=text)
            for supporter in rng.sample(people, k=rng.randint(1, min(15, len(people)))):
                if supporter.pk != author.pk:
                    idea_support(idea=idea, user=supporter)
            for comment in rng.sample(list(comments), k=rng.randint(0, min(2, len(comments)))):
                idea_comment(idea=idea, user=rng.choice(people), text=comment)
                made += 1
        made += 1
    return made


def paragraph_comments(
    *, module: Module, paragraphs: list, said: Sequence[tuple[int, str]], people: list, rng: random.Random
) -> int:
    """Comments (paragraph index, text) in order through the phase."""
    for i, (index, text) in enumerate(said):
        with clock.frozen(moment(module.phase, (i + 1) / (len(said) + 1))):
            paragraph_comment(
                paragraph=paragraphs[index], user=people[(i * 3 + rng.randint(0, 2)) % len(people)], text=text
            )
    return len(said)
