"""Demo content: "square-plan", a project of its own with a room of pinned comments — a plan page (a PDF
made here by demo.consultations.pdf) and a 360° panorama of the square drawn here with Pillow (a sky
gradient, the horizon, simple buildings; never downloaded) — with pins on both and a few replies from demo
residents, each made through the real services at a moment inside the phase (clock.frozen).

Called by `gorod seed_demo` (demo.seeders). Idempotent: a project that exists is left as it is."""

from __future__ import annotations

import datetime as dt
import io
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from PIL import Image, ImageDraw

from gorod.city.models import Municipality
from gorod.consultations import services
from gorod.consultations.models import Project
from gorod.consultations.room import services as room_services
from gorod.consultations.services import NewPhase
from gorod.core import clock
from gorod.demo.consultations.pdf import make_pdf

SLUG = "square-plan"
DAY = dt.timedelta(days=1)
RESIDENTS = 5
PLAN_PINS = [
    (0.2, 0.25, "Здесь нужен пешеходный переход прямо к остановке."),
    (0.55, 0.45, "Фонтан в центре площади — отличная идея, но нужна тень рядом."),
    (0.8, 0.8, "У входа в метро слишком узко для часа пик."),
]
PANORAMA_PINS = [
    ("n", "Этот дом загораживает солнце — деревья лучше посадить с другой стороны."),
    ("e", "Вдоль этой улицы не хватает скамеек."),
    ("sw", "Сюда просится велопарковка."),
]
REPLIES = [
    "Согласен, особенно зимой.",
    "Администрация: учтём в эскизе, спасибо.",
    "А ещё освещение вечером.",
]


def panorama_jpeg(width: int = 4096, seed: int = 0) -> bytes:
    """An equirectangular view of a square: sky above the horizon, paving below, blocks of houses all
    round with rows of windows. Twice as wide as high, so yaw 0 is the centre of the picture."""
    height = width // 2
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = height // 2
    for row in range(horizon):  # sky: deep blue at the zenith to pale at the horizon
        t = row / horizon
        draw.line([(0, row), (width, row)], fill=(int(70 + 150 * t), int(130 + 100 * t), int(200 + 50 * t)))
    for row in range(horizon, height):  # paving, darker towards the nadir
        t = (row - horizon) / (height - horizon)
        shade = int(170 - 90 * t)
        draw.line([(0, row), (width, row)], fill=(shade, shade - 8, shade - 20))
    x = 0
    while x < width:
        block = rng.randint(width // 24, width // 10)
        tall = rng.randint(height // 10, height // 4)
        colour = rng.choice(
            [(196, 160, 120), (222, 196, 150), (170, 110, 90), (210, 210, 200), (150, 170, 190)]
        )
        top = horizon - tall
        draw.rectangle([x, top, x + block - 6, horizon + height // 40], fill=colour, outline=(90, 80, 70))
        for wy in range(top + 12, horizon - 10, 28):
            for wx in range(x + 10, x + block - 20, 26):
                draw.rectangle([wx, wy, wx + 12, wy + 16], fill=(60, 80, 110))
        x += block + rng.randint(width // 60, width // 30)
    # A fountain in front (south of the viewer is the picture's edge; north its centre).
    cx = width // 2
    draw.ellipse(
        [cx - 160, horizon + 120, cx + 160, horizon + 220], fill=(120, 150, 170), outline=(80, 80, 80)
    )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def plan_pdf() -> bytes:
    return make_pdf(
        [
            [
                "Square plan - draft",
                "North: bus stop and crossing        East: shops",
                "Centre: fountain and benches        South-east: metro entrance",
                "Comment on this plan in the room on the project page.",
            ]
        ],
        width=842,
        height=595,
    )


def _residents() -> list:
    model = get_user_model()
    people = []
    for i in range(1, RESIDENTS + 1):
        user, created = model.objects.get_or_create(
            username=f"square-resident-{i}", defaults={"role": "citizen"}
        )
        if created:
            user.set_unusable_password()  # demo voices only; nobody signs in as them
            user.save()
        people.append(user)
    return people


@transaction.atomic
def _project(municipality: Municipality, admin, anchor: dt.date, seed: int) -> Project:
    tz = ZoneInfo(municipality.timezone)
    start = dt.datetime.combine(anchor, dt.time(10), tzinfo=tz)
    district = municipality.districts.order_by("slug").first()
    project = services.project_create(
        municipality=municipality,
        slug=SLUG,
        title="Площадь у метро: обсуждаем эскиз",
        summary="Посмотрите план и панораму площади и оставьте комментарии прямо на них.",
        description=(
            "Архитекторы подготовили эскиз новой площади у метро. Откройте комнату обсуждения: "
            "на плане и на круговой панораме можно отметить место и написать, что там изменить."
        ),
        district=district,
        topic="development",
        published=True,
        phase_list=[
            NewPhase(title="Обсуждение эскиза", starts=start - 7 * DAY, ends=start + 21 * DAY),
            NewPhase(title="Итоги", starts=start + 21 * DAY, ends=start + 35 * DAY),
        ],
    )
    phase = project.phase_list()[0]
    at = phase.starts + dt.timedelta(hours=1)
    with clock.frozen(at):
        module = services.module_add(
            phase=phase,
            kind="room",
            title="Комната обсуждения: план и панорама",
            description="Отметьте место на плане или на панораме и оставьте комментарий; отвечайте соседям.",
        )
        plan = room_services.slide_add(
            module=module,
            actor=admin,
            kind="plan",
            title="План площади",
            description="Схема площади: остановка и переход на севере, фонтан и скамейки в центре, "
            "магазины на востоке, вход в метро на юго-востоке.",
            data=plan_pdf(),
            page=1,
        )[0]
        sphere = room_services.slide_add(
            module=module,
            actor=admin,
            kind="panorama",
            title="Панорама из центра площади",
            description="Круговой вид из центра площади: жилые дома со всех сторон, фонтан впереди.",
            data=panorama_jpeg(seed=seed),
        )[0]
    rng = random.Random(seed)
    people = _residents()
    for i, (x, y, text) in enumerate(PLAN_PINS):
        with clock.frozen(phase.starts + dt.timedelta(days=1 + i, hours=rng.randint(8, 20))):
            pin = room_services.pin_add(slide=plan, user=people[i % RESIDENTS], text=text, x=x, y=y)
            room_services.reply_add(pin=pin, user=people[(i + 1) % RESIDENTS], text=REPLIES[i % len(REPLIES)])
    for i, (direction, text) in enumerate(PANORAMA_PINS):
        with clock.frozen(phase.starts + dt.timedelta(days=2 + i, hours=rng.randint(8, 20))):
            pin = room_services.pin_add(
                slide=sphere, user=people[(i + 2) % RESIDENTS], text=text, region=direction
            )
            if i == 0:
                room_services.reply_add(pin=pin, user=people[(i + 3) % RESIDENTS], text=REPLIES[2])
    return project


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    if Project.objects.filter(municipality=municipality, slug=SLUG).exists():
        stdout.write("Room of pinned comments: already there.")
        return
    admin = get_user_model().objects.filter(role="city_admin").order_by("id").first()
    if admin is None or not municipality.districts.exists():
        stdout.write("Room of pinned comments: skipped (no city administrator or districts).")
        return
    _project(municipality, admin, anchor, seed)
    stdout.write(f"Room of pinned comments: {SLUG} with a plan, a panorama and their comments.")
