"""Demo content: four more engagement projects beside the park and the embankment (projects.py), so the demo
shows every module kind in every state of a project, with a few hundred contributions:

* "obvodny-quarter": a housing quarter on a former factory site (development, in progress): Q&A answered
  by the city, a map with pins and paper responses, an idea wall for the ground floors, a document.
* "kamennoostrovsky-cycle-route": a cycle route (streets, in progress): a survey per account with every
  kind of question, a map of dangerous spots with lines.
* "winter-cleaning-rules": amendments to the city's rules (regulation, the whole city, in progress):
  paragraph comments on the draft, Q&A.
* "vo-library": a library and neighbourhood centre (culture, starting soon): an idea wall not open yet,
  followers waiting for it.

Made through the real services at moments inside the open phases (clock.frozen), by demo residents
(people.py) most of whom answered the "about you" questions. Idempotent: a project that exists is left
as it is. Runs after consultations' moderation seeder, which creates those questions."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from shapely.geometry import LineString, Point, box, mapping

from gorod.city.models import Municipality
from gorod.consultations import services
from gorod.consultations.map_feedback import services as map_services
from gorod.consultations.models import Module, Phase, Project
from gorod.consultations.services import NewPhase
from gorod.consultations.surveys.models import SurveyQuestion
from gorod.consultations.surveys.services import question_add, response_submit
from gorod.consultations.text_review.services import draft_set
from gorod.core import clock, geo
from gorod.demo.consultations import city_texts as words
from gorod.demo.consultations import filling, people
from gorod.demo.consultations.pdf import make_pdf

DAY = dt.timedelta(days=1)
RESIDENTS = 90
QUARTER_PINS = 70
CYCLE_PINS = 35
CYCLE_RESPONSES = 60
# Real places, used when the city's district covers them (the St Petersburg demo); any other city gets
# a place inside one of its districts.
QUARTER_AT = ("admiralteysky", 59.9118, 30.2790)
CYCLE_LINE = (
    "petrogradsky",
    [(30.3262, 59.9538), (30.3177, 59.9620), (30.3100, 59.9705), (30.3005, 59.9790)],
)
LIBRARY_AT = ("vasileostrovsky", 59.9390, 30.2640)


class _Ctx:
    def __init__(self, municipality: Municipality, anchor: dt.date, rng: random.Random) -> None:
        self.municipality = municipality
        self.tz = ZoneInfo(municipality.timezone)
        self.start = dt.datetime.combine(anchor, dt.time(10), tzinfo=self.tz)
        self.rng = rng
        self.districts = list(municipality.districts.order_by("slug"))
        users = get_user_model().objects
        self.admin = users.filter(role="city_admin").order_by("id").first()
        self.official = users.filter(role="executor").order_by("id").first() or self.admin
        self.people = people.residents(RESIDENTS)

    def district(self, slug: str, index: int):
        return next(
            (d for d in self.districts if d.slug == slug), self.districts[index % len(self.districts)]
        )

    def shape(self, district):
        return geo.geometry_from_geojson(district.boundary)

    def square(self, district, lat: float, lon: float, half: float) -> dict:
        """A square around the place, or around a point inside the district when it is elsewhere."""
        shape = self.shape(district)
        if not shape.covers(Point(lon, lat)):
            inner = shape.buffer(-half * 2)
            lat, lon = filling.point_inside(self.rng, shape if inner.is_empty else inner)
        part = box(lon - 2 * half, lat - half, lon + 2 * half, lat + half).intersection(shape)
        return dict(mapping(part if part.geom_type == "Polygon" else Point(lon, lat)))


def _phase(project: Project, index: int) -> Phase:
    return project.phase_list()[index]


def _follow(project: Project, crowd: list) -> None:
    for person in crowd:
        services.follow_user(project=project, user=person, language="ru")


@transaction.atomic
def _quarter(ctx: _Ctx) -> tuple[Project, int]:
    district = ctx.district(QUARTER_AT[0], 0)
    start = ctx.start
    with clock.frozen(start - 21 * DAY):
        project = services.project_create(
            municipality=ctx.municipality,
            slug="obvodny-quarter",
            title="Квартал на месте бывшего завода у Обводного канала",
            summary=(
                "Жилые дома, школа, сквер и открытая набережная: обсуждаем концепцию до публичных слушаний."
            ),
            description=words.QUARTER_DESCRIPTION,
            district=district,
            topic="development",
            area=ctx.square(district, QUARTER_AT[1], QUARTER_AT[2], 0.003),
            published=True,
            phase_list=[
                NewPhase(
                    title="Обсуждение концепции",
                    starts=start - 20 * DAY,
                    ends=start + 25 * DAY,
                    description="Задайте вопрос девелоперу и городу, отметьте на карте важные места.",
                ),
                NewPhase(
                    title="Публичные слушания",
                    starts=start + 25 * DAY,
                    ends=start + 40 * DAY,
                    description="Проект, доработанный по итогам обсуждения, выносится на слушания.",
                ),
            ],
        )
        open_phase = _phase(project, 0)
        services.module_add(
            phase=open_phase,
            kind="information",
            title="Как устроено обсуждение",
            description=(
                "Девелопер отвечает на вопросы вместе с администрацией района; ответы отмечены как "
                "официальные."
            ),
        )
        qa = services.module_add(phase=open_phase, kind="questions", title="Вопросы девелоперу и городу")
        board = services.module_add(
            phase=open_phase,
            kind="map_feedback",
            title="Карта: что важно сохранить и изменить",
            description="Отметьте места, которые вам дороги или мешают.",
        )
        map_services.settings_set(
            module=board,
            staff=ctx.admin,
            questions_text=words.QUARTER_MAP_QUESTIONS,
            tags_text=words.QUARTER_MAP_TAGS,
        )
        wall = services.module_add(
            phase=open_phase,
            kind="idea_wall",
            title="Что разместить на первых этажах",
            description="Предложите, какие магазины, службы и пространства нужны жителям квартала и соседям.",
        )
        services.module_add(
            phase=_phase(project, 1),
            kind="information",
            title="Слушания",
            description="Дата и место слушаний появятся в разделе «События» за две недели.",
        )
        services.document_add(
            project=project,
            title="Концепция квартала (презентация девелопера)",
            data=make_pdf(
                [["Obvodny quarter: concept", "Housing, a school for 550, a square, the embankment."]]
            ),
        )
    board.refresh_from_db()
    crowd = ctx.people[:60]
    made = filling.questions(
        module=qa, asked=words.QUARTER_QUESTIONS, people=crowd, official=ctx.official, rng=ctx.rng
    )
    area = geo.geometry_from_geojson(project.area or {})
    made += filling.map_pins(
        module=board,
        area=area,
        people=crowd,
        staff=ctx.admin,
        rng=ctx.rng,
        count=QUARTER_PINS,
        voices=words.QUARTER_MAP,
    )
    made += filling.ideas(
        module=wall,
        items=words.QUARTER_IDEAS,
        comments=words.QUARTER_IDEA_COMMENTS,
        people=crowd,
        rng=ctx.rng,
    )
    with clock.frozen(start - 10 * DAY):
        services.update_publish(
            project=project,
            title="Девелопер ответил на первые вопросы",
            body="Ответы — в разделе «Вопросы девелоперу и городу». Вопросы принимаются до конца этапа.",
            author=ctx.admin,
        )
        _follow(project, crowd[:12])
    services.event_add(
        project=project,
        title="Встреча с девелопером и архитекторами",
        starts=start + 8 * DAY + dt.timedelta(hours=9),
        ends=start + 8 * DAY + dt.timedelta(hours=11),
        place="Библиотека на Лермонтовском проспекте, 1/44",
        description="Покажем концепцию и ответим на вопросы.",
    )
    return project, made


def _cycle_survey(ctx: _Ctx, module: Module) -> dict[str, SurveyQuestion]:
    made = {}
    for kind, text, options in words.CYCLE_SURVEY:
        made[kind] = question_add(
            module=module,
            actor=ctx.admin,
            kind="scale" if kind == "scale10" else kind,
            text=text,
            options=options,
            scale_max=10 if kind == "scale10" else None,
            required=kind not in ("text", "point"),
        )
    return made


def _cycle_answers(
    q: dict[str, SurveyQuestion], rng: random.Random, line: LineString
) -> dict[int, list[str]]:
    place = line.interpolate(rng.random(), normalized=True)
    # Riders put separation from cars and safe crossings first, more or less: lower score, better place.
    scores = [rng.gauss(mean, 1.0) for mean in (0.0, 0.4, 1.2, 1.5)]
    places = {option: place for place, option in enumerate(sorted(range(4), key=scores.__getitem__), 1)}
    ranking = [str(places[option]) for option in range(4)]
    answers = {
        q["single"].pk: [str(rng.choices(range(5), weights=[3, 4, 2, 2, 3])[0])],
        q["multiple"].pk: [str(i) for i in sorted(rng.sample(range(5), rng.randint(1, 3)))],
        q["scale10"].pk: [str(min(10, max(0, round(rng.gauss(7, 2.5)))))],
        q["ranking"].pk: ranking,
        q["text"].pk: [rng.choice(words.CYCLE_TEXTS)],
        q["point"].pk: [],
    }
    if rng.random() < 0.5:
        answers[q["point"].pk] = [
            f"{place.y + rng.uniform(-4e-4, 4e-4):.6f}",
            f"{place.x + rng.uniform(-4e-4, 4e-4):.6f}",
        ]
    return answers


@transaction.atomic
def _cycle_route(ctx: _Ctx) -> tuple[Project, int]:
    district = ctx.district(CYCLE_LINE[0], 1)
    line = LineString(CYCLE_LINE[1])
    if not ctx.shape(district).covers(line):
        lat, lon = filling.point_inside(ctx.rng, ctx.shape(district))
        line = LineString([(lon - 0.004, lat - 0.002), (lon, lat), (lon + 0.004, lat + 0.002)]).intersection(
            ctx.shape(district)
        )
        if line.geom_type != "LineString":
            line = LineString([(lon, lat), (lon + 0.0005, lat + 0.0005)])
    start = ctx.start
    with clock.frozen(start - 13 * DAY):
        project = services.project_create(
            municipality=ctx.municipality,
            slug="kamennoostrovsky-cycle-route",
            title="Велодорожка по Каменноостровскому проспекту",
            summary=(
                "4,5 км от Троицкой площади до Каменного острова: расскажите, как вы ездите, и отметьте "
                "опасные места."
            ),
            description=words.CYCLE_DESCRIPTION,
            district=district,
            topic="streets",
            area=dict(mapping(line)),
            published=True,
            phase_list=[
                NewPhase(title="Опрос и карта", starts=start - 12 * DAY, ends=start + 18 * DAY),
                NewPhase(
                    title="Проект маршрута",
                    starts=start + 18 * DAY,
                    ends=start + 50 * DAY,
                    description="Проектировщики покажут маршрут, доработанный по итогам опроса.",
                ),
            ],
        )
        phase = _phase(project, 0)
        survey = services.module_add(
            phase=phase,
            kind="survey",
            title="Опрос велосипедистов и пешеходов",
            description="Пять минут. Один ответ с одной учётной записи.",
        )
        q = _cycle_survey(ctx, survey)
        board = services.module_add(
            phase=phase,
            kind="map_feedback",
            title="Опасные места на маршруте",
            description="Отметьте перекрёсток или проведите линию по участку, где ехать трудно.",
        )
        map_services.settings_set(
            module=board,
            staff=ctx.admin,
            questions_text=words.CYCLE_MAP_QUESTIONS,
            tags_text=words.CYCLE_MAP_TAGS,
        )
    board.refresh_from_db()
    crowd = ctx.people[30:]
    for i, person in enumerate(crowd[:CYCLE_RESPONSES]):
        with clock.frozen(filling.moment(phase, (i + 1) / (CYCLE_RESPONSES + 1))):
            response_submit(module=survey, user=person, answers=_cycle_answers(q, ctx.rng, line))
    corridor = line.buffer(0.0012)
    made = CYCLE_RESPONSES + filling.map_pins(
        module=board,
        area=corridor,
        people=crowd,
        staff=ctx.admin,
        rng=ctx.rng,
        count=CYCLE_PINS,
        voices=words.CYCLE_MAP,
    )
    with clock.frozen(start - 5 * DAY):
        _follow(project, crowd[:8])
    return project, made


@transaction.atomic
def _rules(ctx: _Ctx) -> tuple[Project, int]:
    start = ctx.start
    with clock.frozen(start - 8 * DAY):
        project = services.project_create(
            municipality=ctx.municipality,
            slug="winter-cleaning-rules",
            title="Правила благоустройства: зимняя уборка дворов",
            summary=(
                "Проект изменений в Правила благоустройства: сроки уборки снега, посыпка, сброс снега с крыш."
            ),
            description=words.RULES_DESCRIPTION,
            district=None,
            topic="regulation",
            published=True,
            phase_list=[
                NewPhase(title="Обсуждение проекта", starts=start - 7 * DAY, ends=start + 21 * DAY),
                NewPhase(
                    title="Доработка и утверждение",
                    starts=start + 21 * DAY,
                    ends=start + 60 * DAY,
                    description="Комитет учтёт замечания и опубликует, что изменилось и почему.",
                ),
            ],
        )
        phase = _phase(project, 0)
        draft = services.module_add(
            phase=phase,
            kind="text_review",
            title="Проект изменений: раздел о зимней уборке",
            description="Прокомментируйте абзац: что понятно, что нет, что изменить.",
        )
        paragraphs = draft_set(module=draft, actor=ctx.admin, text=words.RULES_DRAFT)
        qa = services.module_add(phase=phase, kind="questions", title="Вопросы комитету")
    crowd = ctx.people[10:70]
    made = filling.paragraph_comments(
        module=draft, paragraphs=paragraphs, said=words.RULES_COMMENTS, people=crowd, rng=ctx.rng
    )
    made += filling.questions(
        module=qa, asked=words.RULES_QUESTIONS, people=crowd, official=ctx.admin, rng=ctx.rng
    )
    with clock.frozen(start - 2 * DAY):
        _follow(project, crowd[:5])
    return project, made


@transaction.atomic
def _library(ctx: _Ctx) -> tuple[Project, int]:
    district = ctx.district(LIBRARY_AT[0], 1)
    start = ctx.start
    with clock.frozen(start - 30 * DAY):  # announced a month before its first phase
        project = services.project_create(
            municipality=ctx.municipality,
            slug="vo-library",
            title="Библиотека и соседский центр на Васильевском острове",
            summary=(
                "Новая библиотека в здании бывшей бани: скоро начнём собирать идеи, что в ней должно быть."
            ),
            description=words.LIBRARY_DESCRIPTION,
            district=district,
            topic="culture",
            area=ctx.square(district, LIBRARY_AT[1], LIBRARY_AT[2], 0.0006),
            published=True,
            phase_list=[
                NewPhase(title="Сбор идей", starts=start + 12 * DAY, ends=start + 42 * DAY),
                NewPhase(title="Эскиз и обсуждение", starts=start + 42 * DAY, ends=start + 72 * DAY),
            ],
        )
    services.module_add(
        phase=_phase(project, 0),
        kind="information",
        title="Как участвовать",
        description="Идеи можно оставить на сайте или на встрече в библиотеке.",
    )
    services.module_add(
        phase=_phase(project, 0),
        kind="idea_wall",
        title="Идеи для соседского центра",
        description=words.LIBRARY_IDEA_INTRO,
    )
    services.event_add(
        project=project,
        title="День открытых дверей в новом здании",
        starts=start + 14 * DAY + dt.timedelta(hours=2),
        ends=start + 14 * DAY + dt.timedelta(hours=5),
        place="Средний проспект В. О., здание бывшей бани",
    )
    _follow(project, ctx.people[:6])
    return project, 0


BUILDERS = {
    "obvodny-quarter": _quarter,
    "kamennoostrovsky-cycle-route": _cycle_route,
    "winter-cleaning-rules": _rules,
    "vo-library": _library,
}


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    if not municipality.districts.exists() or get_user_model().objects.filter(role="city_admin").count() == 0:
        stdout.write("City projects: skipped (the demo needs a district and a city administrator).")
        return
    existing = set(Project.objects.filter(municipality=municipality).values_list("slug", flat=True))
    if existing >= set(BUILDERS):
        stdout.write("City projects: already there.")
        return
    ctx = _Ctx(municipality, anchor, random.Random(seed))
    people.answer_about_themselves(municipality, ctx.people, ctx.rng)
    made, total = [], 0
    for slug, build in BUILDERS.items():
        if slug not in existing:
            _, count = build(ctx)
            made.append(slug)
            total += count
    stdout.write(f"City projects: {len(made)} added ({', '.join(made)}) with {total} contributions.")
