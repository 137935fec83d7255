"""Demo content: two engagement projects in the demo city, made through the real services.

* "park-redesign": a park redesign in the first district, its idea phase open now, with an update, a
  PDF draft plan (made here by demo.consultations.pdf, never downloaded) and a walk on site.
  Its idea phase also has a map-feedback module with about fifty contributions (demo.consultations.
  map_feedback).
* "embankment": an embankment improvement in the second district, finished: a map and a Q&A from its
  closed phase (demo.consultations.embankment), then its "what we heard and what we decided" report.

More projects, one per remaining kind of project and state, are in demo.consultations.city_projects.

Called by `gorod seed_demo` (demo.seeders). Idempotent: a project that exists is left as it is."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from shapely.geometry import box, mapping

from gorod.city.models import Municipality
from gorod.consultations import services
from gorod.consultations.models import Project
from gorod.consultations.services import NewPhase
from gorod.core import clock, geo
from gorod.demo.consultations import embankment, map_feedback
from gorod.demo.consultations.pdf import make_pdf

PARK_SLUG = "park-redesign"
EMBANKMENT_SLUG = "embankment"
DAY = dt.timedelta(days=1)


def _area(district, half_side: float = 0.004) -> dict:
    """A small square inside the district (cut by its boundary, so it never leaves the city)."""
    shape = geo.geometry_from_geojson(district.boundary)
    centre = shape.representative_point()
    square = box(
        centre.x - 2 * half_side, centre.y - half_side, centre.x + 2 * half_side, centre.y + half_side
    )
    part = square.intersection(shape)
    if part.geom_type not in ("Polygon", "MultiPolygon") or part.is_empty:
        return dict(mapping(centre))
    return dict(mapping(part))


def _start(day: dt.date, tz: ZoneInfo, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)


@transaction.atomic
def _park(
    municipality: Municipality, district, admin, anchor: dt.date, tz: ZoneInfo, seed: int = 0
) -> Project:
    start = _start(anchor, tz)
    project = services.project_create(
        municipality=municipality,
        slug=PARK_SLUG,
        title=f"Новый облик парка: {district.name} район",
        summary="Город обновляет парк и спрашивает жителей, каким он должен стать: дорожки, площадки, свет.",
        description=(
            "Парк не ремонтировали двадцать лет. До конца года город подготовит проект благоустройства,"
            " а в следующем году начнутся работы.\n\n"
            "## Что можно обсудить\n\n"
            "- где проложить дорожки и велодорожки;\n"
            "- какие площадки нужны: детские, спортивные, для собак;\n"
            "- где нужен свет и скамейки.\n\n"
            "Эскиз проекта — в разделе «Документы». Подпишитесь на новости, чтобы узнать, что решили."
        ),
        district=district,
        topic="parks",
        area=_area(district),
        published=True,
        phase_list=[
            NewPhase(
                title="Сбор идей",
                starts=start - 14 * DAY,
                ends=start + 16 * DAY,
                description="Расскажите, чего не хватает в парке.",
            ),
            NewPhase(
                title="Обсуждение эскиза",
                starts=start + 16 * DAY,
                ends=start + 46 * DAY,
                description="Архитекторы покажут эскиз по итогам идей жителей.",
            ),
            NewPhase(
                title="Итоги",
                starts=start + 46 * DAY,
                ends=start + 60 * DAY,
                description="Город публикует, что услышал и что решил.",
            ),
        ],
    )
    for phase, text in zip(
        project.phase_list(),
        (
            "Идеи принимаются на встречах в парке и по почте администрации района.",
            "Эскиз появится в разделе «Документы» в начале этапа.",
            "Отчёт «Что мы услышали и что решили» получит каждый подписчик.",
        ),
        strict=True,
    ):
        services.module_add(phase=phase, kind="information", title="Как участвовать", description=text)
    map_feedback.add_to_park(project, project.phase_list()[0], admin, seed=seed)
    services.update_publish(
        project=project,
        title="Начался сбор идей",
        body="Спасибо всем, кто пришёл на первую встречу. Приём идей открыт до конца этапа.",
        author=admin,
    )
    services.document_add(
        project=project,
        title="Эскиз: схема парка (черновик)",
        data=make_pdf(
            [
                [
                    "Park redesign: draft plan",
                    "Paths, playgrounds and lighting (draft for discussion).",
                    "Scale 1:2000",
                ],
                ["Phases", "1. Ideas  2. Draft discussion  3. Decision"],
            ]
        ),
    )
    services.event_add(
        project=project,
        title="Прогулка по парку с архитекторами",
        starts=_start(anchor + 5 * DAY, tz, 18),
        ends=_start(anchor + 5 * DAY, tz, 20),
        place="Главный вход в парк",
        description="Пройдём по парку и обсудим, что менять в первую очередь.",
    )
    return project


@transaction.atomic
def _embankment(
    municipality: Municipality, district, admin, anchor: dt.date, tz: ZoneInfo, seed: int = 0
) -> Project:
    start = _start(anchor, tz)
    # Announced before its first phase, so the list (newest first) shows the current projects above it.
    with clock.frozen(start - 91 * DAY):
        project = services.project_create(
            municipality=municipality,
            slug=EMBANKMENT_SLUG,
            title=f"Благоустройство набережной: {district.name} район",
            summary="Обсуждение завершено: город опубликовал, что услышал и что решил.",
            description="Жители обсуждали, какой станет набережная: покрытие, освещение, места отдыха.",
            district=district,
            topic="streets",
            area=_area(district, 0.002),
            published=True,
            phase_list=[
                NewPhase(title="Сбор мнений", starts=start - 90 * DAY, ends=start - 60 * DAY),
                NewPhase(title="Итоги", starts=start - 60 * DAY, ends=start - 30 * DAY),
            ],
        )
    official = get_user_model().objects.filter(role="executor").order_by("id").first()
    pins, questions = embankment.add_voices(project, admin, official, seed=seed)
    services.final_report_publish(
        project=project,
        text=(
            "## Что мы услышали\n\n"
            + (f"Отметок на карте: {pins}, вопросов: {questions}. " if pins else "")
            + "Больше всего просили освещение, скамейки и отдельную велодорожку.\n\n"
            "## Что мы решили\n\n"
            "- освещение по всей длине набережной — в этом году;\n"
            "- 40 скамеек и урн;\n"
            "- велодорожку проектируем в следующем году."
        ),
        actor=admin,
    )
    return project


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    districts = list(municipality.districts.order_by("slug")[:2])
    if len(districts) < 2:
        stdout.write("Engagement projects: skipped (the demo needs two districts).")
        return
    admin = get_user_model().objects.filter(role="city_admin").order_by("id").first()
    tz = ZoneInfo(municipality.timezone)
    existing = set(Project.objects.filter(municipality=municipality).values_list("slug", flat=True))
    made = []
    if PARK_SLUG not in existing:
        made.append(_park(municipality, districts[0], admin, anchor, tz, seed).slug)
    if EMBANKMENT_SLUG not in existing:
        made.append(_embankment(municipality, districts[1], admin, anchor, tz, seed).slug)
    stdout.write(f"Engagement projects: {len(made)} added ({', '.join(made) or 'already there'}).")
