"""Back-office work for the demo accounts (a `seed_demo` extra): fresh reports in the Central district so
the moderator has new reports and a held answer to check, the executor has assigned work and the head
has reports to assign. Everything goes through the real services. Idempotent: a second run finds its
reports by their text and adds nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from shapely.geometry import shape

from gorod.city.models import Category, District, Municipality
from gorod.demo.reports import pictures
from gorod.reports.models import Report
from gorod.reports.services import NewReport, moderation, report_create

DISTRICT = "tsentralny"
# (category, text, what happens to it)
WORK = (
    ("yard-litter", "Во дворе у парадной третий день стоят мешки с мусором.", "new"),
    ("yard-pothole", "Во дворе глубокая яма у въезда, машины цепляют дном.", "new"),
    ("yard-litter", "На детской площадке разбросан строительный мусор.", "held_answer"),
    ("yard-pothole", "Яма на внутриквартальном проезде, после дождя лужа.", "assigned"),
    ("yard-litter", "Контейнерная площадка переполнена, мусор вокруг баков.", "accepted"),
    ("yard-pothole", "Провал асфальта у арки, опасно для пешеходов.", "accepted"),
)


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    if Report.objects.filter(municipality=municipality, description__in=[w[1] for w in WORK]).exists():
        return
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=("moderator", "head", "executor"))
    }
    district = District.objects.filter(municipality=municipality, slug=DISTRICT).first()
    if district is None or len(users) < 3:
        return
    point = shape(district.boundary).representative_point()
    categories = {c.service_code: c for c in Category.objects.filter(municipality=municipality)}
    made = 0
    for i, (code, text, fate) in enumerate(WORK):
        category = categories.get(code)
        if category is None:
            continue
        report = report_create(
            municipality=municipality,
            data=NewReport(
                category=category,
                lat=point.y + 0.0004 * i,
                lon=point.x + 0.0006 * i,
                description=text,
                attributes={"size": "medium"} if code == "yard-pothole" else {},
                contact_name="Анна Горожанина",
                contact_email="citizen@example.org",
            ),
            source=Report.Source.DEMO,
        )
        made += 1
        if fate == "new":
            continue
        report = moderation.report_accept(report=report, actor=users["moderator"])
        if fate == "assigned":
            moderation.report_assign(report=report, actor=users["head"], assignee=users["executor"])
            moderation.report_act(report=report, actor=users["executor"], action="start")
        elif fate == "held_answer":
            moderation.report_act(report=report, actor=users["head"], action="start")
            moderation.report_act(
                report=report,
                actor=users["head"],
                action="resolve",
                public_note="Мусор с площадки вывезен, территория убрана.",
                proof_photos=[pictures.draw(random.Random(seed), code)],
            )
    stdout.write(f"Back office: {made} fresh reports for the demo staff.")
