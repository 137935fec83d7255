"""Demo text-in: a courtyard project of its own whose idea wall takes comments by text message, with the
keyword ДВОР on its printable sign and a few messages that came in by SMS (ideas marked "by text
message", one with a mistyped keyword, one STOP). Made through the real services: each message is
received as the webhook would receive it (the console gateway; replies wait in the outbox and the demo
worker prints them, numbers masked). The numbers are fictitious (+7 900 000-00-0N).

Idempotent: once the project exists, nothing is added."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from gorod.city.models import Municipality
from gorod.consultations import services as project_services
from gorod.consultations.models import Project
from gorod.consultations.services import NewPhase
from gorod.consultations.textin import services
from gorod.consultations.textin.gateways import Inbound
from gorod.core import clock

SLUG = "courtyard"
KEYWORD = "ДВОР"
DAY = dt.timedelta(days=1)
MESSAGES = [
    ("+79000000001", "двор Нужны скамейки у детской площадки, сейчас сесть негде."),
    ("+79000000002", "ДВОР Поставьте фонарь у второй парадной, вечером темно."),
    ("+79000000003", "Двор велопарковка у арки, пожалуйста"),
    ("+79000000004", "ДВОР Сохраните старую липу во дворе!"),
    ("+79000000001", "двор И ещё урны возле скамеек."),
    ("+79000000005", "ДВОРЫ нужна горка"),
    ("+79000000005", "СТОП"),
]


@transaction.atomic
def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    if Project.objects.filter(municipality=municipality, slug=SLUG).exists():
        stdout.write("Text-in: already there.")
        return
    admin = get_user_model().objects.filter(role="city_admin").order_by("id").first()
    district = municipality.districts.order_by("slug").first()
    if admin is None or district is None:
        stdout.write("Text-in: skipped (the demo needs a city administrator and a district).")
        return
    tz = ZoneInfo(municipality.timezone)
    start = dt.datetime.combine(anchor, dt.time(10), tzinfo=tz)
    project = project_services.project_create(
        municipality=municipality,
        slug=SLUG,
        title="Двор на Лесной: что поставить",
        summary="Город благоустраивает двор и собирает идеи жителей — на сайте и по SMS с таблички во дворе.",
        description=(
            "Во дворе появятся новые скамейки, свет и площадка. Табличка у арки приглашает писать идеи "
            "по SMS: ключевое слово **ДВОР** и ваша идея.\n\n"
            "Идеи, пришедшие по SMS, отмечены «по SMS»; номера отправителей нигде не показываются."
        ),
        district=district,
        topic="parks",
        published=True,
        phase_list=[NewPhase(title="Сбор идей", starts=start - 10 * DAY, ends=start + 20 * DAY)],
    )
    wall = project_services.module_add(
        phase=project.phase_list()[0],
        kind="idea_wall",
        title="Идеи для двора",
        description="Пишите здесь или по SMS: ДВОР и ваша идея.",
    )
    services.keyword_add(municipality=municipality, word=KEYWORD, module=wall, actor=admin)
    taken = 0
    for n, (number, body) in enumerate(MESSAGES):
        with clock.frozen(start - (9 - n) * DAY):
            received = services.inbound_receive(
                municipality=municipality,
                gateway="console",
                inbound=Inbound(message_id=f"demo-{seed}-{n}", sender=number, to="", body=body),
            )
        taken += received.message.outcome == "accepted"
    stdout.write(f"Text-in: project {SLUG} with the keyword {KEYWORD}, {taken} ideas by text message.")
