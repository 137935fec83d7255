"""Demo content: a project of its own for the 3D dialogue, a tower proposed in a courtyard block, with its
"before" and "after" models made from footprints and heights (model_3d_scene, never downloaded), uploaded
through the real upload service (so they pass its checks), and a few comments pinned on them with
replies, each made at a moment inside the open phase."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from shapely.geometry import shape

from gorod.city.models import Municipality
from gorod.consultations import services
from gorod.consultations.model_3d.services import model_upload, pin_add, reply_add
from gorod.consultations.models import Project
from gorod.consultations.services import NewPhase
from gorod.core import clock
from gorod.demo.consultations.model_3d_scene import before_and_after
from gorod.demo.consultations.projects import _area

SLUG = "tower-in-the-block"
DAY = dt.timedelta(days=1)
RESIDENTS = 4

# (variant, text, point, camera: theta°, phi°, radius m, target) and replies. Points are on the demo
# models (model_3d_scene.block_around): the tower's east wall is x = 40, the school's roof y = 9.
PINS = [
    (
        "after",
        "48 метров — слишком высоко для квартала: башня закроет солнце школьному двору.",
        (40.0, 38.0, 20.0),
        (90, 65, 110, (27.0, 20.0, 20.0)),
        ["Согласна, во дворе школы и так мало солнца.", "Можно ли сделать башню ниже, но шире?"],
    ),
    (
        "after",
        "Здесь нужна парковка для жителей нового дома, иначе машины встанут во дворах.",
        (27.0, 0.0, 50.0),
        (20, 55, 120, (20.0, 5.0, 30.0)),
        [],
    ),
    (
        "after",
        "Окна нашего дома выходят прямо на новую башню. Какое будет расстояние между домами?",
        (10.0, 12.0, 29.0),
        (60, 70, 90, (15.0, 10.0, 28.0)),
        ["Между домами останется 4 метра — это меньше, чем по нормам для жилых домов."],
    ),
    (
        "before",
        "Сейчас здесь пустырь — лучше бы сквер с деревьями, а не дом.",
        (27.0, 0.0, 22.0),
        (30, 50, 120, (20.0, 0.0, 20.0)),
        [],
    ),
]


def _residents() -> list:
    model = get_user_model()
    people = []
    for i in range(1, RESIDENTS + 1):
        user, created = model.objects.get_or_create(
            username=f"block-resident-{i}", defaults={"role": "citizen"}
        )
        if created:
            user.set_unusable_password()  # demo voices only; nobody signs in as them
            user.save()
        people.append(user)
    return people


def _vec(values) -> str:
    return " ".join(f"{v:.4f}" for v in values)


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    if Project.objects.filter(municipality=municipality, slug=SLUG).exists():
        stdout.write("3D dialogue: already there.")
        return
    district = municipality.districts.order_by("slug").first()
    admin = get_user_model().objects.filter(role="city_admin").order_by("id").first()
    if district is None or admin is None:
        stdout.write("3D dialogue: skipped (the demo needs a district and a city administrator).")
        return
    tz = ZoneInfo(municipality.timezone)
    start = dt.datetime.combine(anchor, dt.time(10), tzinfo=tz) - 10 * DAY
    area = _area(district, 0.0008)
    centre = shape(area).centroid
    with clock.frozen(start - DAY):
        project = services.project_create(
            municipality=municipality,
            slug=SLUG,
            title=f"Башня во дворе: {district.name} район",
            summary=(
                "Застройщик предлагает 16-этажный дом на пустыре внутри квартала."
                " Посмотрите модель и скажите, что думаете."
            ),
            description=(
                "На пустыре между домами и школой предлагают построить жилой дом высотой 48 метров.\n\n"
                "Откройте 3D-модель: переключайтесь между «до» и «после», поворачивайте её и оставляйте"
                " комментарии прямо на домах. Все комментарии также доступны списком."
            ),
            district=district,
            topic="development",
            area=area,
            published=True,
            phase_list=[
                NewPhase(
                    title="Обсуждение модели",
                    starts=start,
                    ends=start + 40 * DAY,
                    description="Комментарии на модели принимаются до конца этапа.",
                )
            ],
        )
        phase = project.phase_list()[0]
    with clock.frozen(start + dt.timedelta(hours=1)):
        module = services.module_add(
            phase=phase,
            kind="model_3d",
            title="Модель квартала: до и после",
            description="Серые дома стоят сейчас; оранжевый — предлагаемая башня.",
        )
        before, after = before_and_after(centre.x, centre.y)
        model_upload(module=module, variant="before", data=before, actor=admin)
        model_upload(module=module, variant="after", data=after, actor=admin)
    people = _residents()
    replies = 0
    for i, (variant, text, point, (theta, phi, radius, target), answers) in enumerate(PINS):
        with clock.frozen(start + (1 + 2 * i) * DAY + dt.timedelta(hours=9 + i)):
            pin = pin_add(
                module=module,
                user=people[i % RESIDENTS],
                variant=variant,
                text=text,
                position=_vec(point),
                normal=_vec((1.0, 0.0, 0.0) if point[1] > 0 else (0.0, 1.0, 0.0)),
                orbit=_vec((math.radians(theta), math.radians(phi), radius)),
                target=_vec(target),
                fov="30",
            )
        for j, answer in enumerate(answers):
            with clock.frozen(start + (2 + 2 * i) * DAY + dt.timedelta(hours=10 + j)):
                reply_add(pin=pin, user=people[(i + j + 1) % RESIDENTS], text=answer)
                replies += 1
    stdout.write(
        f"3D dialogue: project {SLUG} with before/after models, {len(PINS)} comments, {replies} replies."
    )
