"""Demo content: a project of its own with an opinion-groups module — what the square by the station
should become — with statements in Russian and a few hundred demo residents whose votes carry a planted
structure: three camps (for a pedestrian square, for parking and traffic, for a market and trade) that
agree on some statements and split on others. The groups are computed at seed time, as the worker would.

Statements go through the real service (statement_add). The votes, thousands of them, are written in
bulk with what vote_cast stores, and the participants are recorded the same way: the services would
take a minute here and time the writes, not the demo."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from gorod.city.models import Municipality
from gorod.consultations.models import Participation, Project
from gorod.consultations.opinion_groups import services
from gorod.consultations.opinion_groups.models import Statement, StatementVote
from gorod.consultations.services import NewPhase, module_add, project_create
from gorod.core import clock

SLUG = "station-square"
PARTICIPANTS = 320
# Camp shares of the crowd: pedestrians, drivers, traders.
CAMPS = (0.45, 0.33, 0.22)
DAY = dt.timedelta(days=1)
# (text, leaning of each camp: +1 agrees, −1 disagrees, 0 undecided). The first ones everyone shares.
STATEMENTS: list[tuple[str, tuple[int, int, int]]] = [
    ("На площади нужно больше деревьев и тени", (1, 1, 1)),
    ("Переходы к вокзалу должны быть безопасными для детей", (1, 1, 1)),
    ("Нужны общественные туалеты", (1, 1, 1)),
    ("Площадь должна быть освещена всю ночь", (1, 1, 1)),
    ("Скамейки нужны у каждой остановки", (1, 0, 1)),
    ("Закрыть площадь для машин, оставить автобусы и такси", (1, -1, 0)),
    ("Сохранить все парковочные места у вокзала", (-1, 1, 0)),
    ("Построить подземный паркинг под площадью", (-1, 1, 1)),
    ("Сделать велодорожку от вокзала до набережной", (1, -1, 0)),
    ("Расширить проезжую часть, чтобы не было пробок", (-1, 1, -1)),
    ("Устроить на площади рынок выходного дня", (0, -1, 1)),
    ("Убрать все киоски с площади", (1, 0, -1)),
    ("Разрешить летние кафе на площади", (0, -1, 1)),
    ("Площадь должна быть тихой, без торговли", (1, 0, -1)),
    ("Поставить фонтан в центре площади", (1, -1, 1)),
    ("Сделать платную парковку дешевле для жителей района", (-1, 1, 0)),
    ("Проводить на площади концерты и ярмарки", (0, -1, 1)),
    ("Сократить число полос для машин вдвое", (1, -1, -1)),
    ("Сохранить исторический вид площади", (0, 0, 0)),
    ("Поставить на площади большой экран с новостями", (-1, 0, 0)),
    ("Сделать остановку такси ближе ко входу в вокзал", (-1, 1, 0)),
    ("Разместить на площади велопрокат", (1, -1, 0)),
]


def _participants(n: int) -> list:
    model = get_user_model()
    names = [f"square-resident-{i}" for i in range(1, n + 1)]
    have = set(model.objects.filter(username__in=names).values_list("username", flat=True))
    # Demo voices only: nobody signs in as them (an unusable password).
    model.objects.bulk_create(
        [
            model(username=name, role="citizen", password=make_password(None))
            for name in names
            if name not in have
        ]
    )
    by_name = {u.username: u for u in model.objects.filter(username__in=names)}
    return [by_name[name] for name in names]


def _choice(lean: int, rng: random.Random) -> int:
    """A camp member follows the camp's leaning most of the time; an undecided camp splits at random."""
    roll = rng.random()
    if lean == 0:
        return rng.choice((1, -1, 0, 0))
    if roll < 0.78:
        return lean
    return 0 if roll < 0.92 else -lean


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    if Project.objects.filter(municipality=municipality, slug=SLUG).exists():
        stdout.write("Opinion groups: already there.")
        return
    _build(municipality, seed, anchor, stdout)
    # As the worker would, once the votes are committed.
    services.recompute_requested()


@transaction.atomic
def _build(municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    admin = get_user_model().objects.filter(role="city_admin").order_by("id").first()
    district = municipality.districts.order_by("slug").first()
    tz = ZoneInfo(municipality.timezone)
    start = dt.datetime.combine(anchor, dt.time(10), tzinfo=tz) - 12 * DAY
    project = project_create(
        municipality=municipality,
        slug=SLUG,
        title="Какой быть привокзальной площади",
        summary="Жители пишут короткие утверждения и голосуют за или против — город видит группы мнений "
        "и то, с чем согласны все.",
        description=(
            "Площадь у вокзала будут перестраивать. Прежде чем рисовать проект, город хочет понять, какие "
            "взгляды на неё есть у жителей.\n\n"
            "Голосуйте «согласен», «не согласен» или «пропустить» по утверждениям других и добавляйте свои. "
            "Сервис сам найдёт группы единомышленников и покажет, что объединяет всех."
        ),
        district=district,
        topic="streets",
        published=True,
        phase_list=[NewPhase(title="Обсуждение", starts=start, ends=start + 40 * DAY)],
    )
    phase = project.phase_list()[0]
    rng = random.Random(seed)
    with clock.frozen(start + dt.timedelta(hours=1)):
        module = module_add(
            phase=phase,
            kind="opinion_groups",
            title="Группы мнений: площадь у вокзала",
            description="Одно утверждение — одна мысль. Голос можно изменить, пока идёт обсуждение.",
        )
    people = _participants(PARTICIPANTS)
    camp_of = [rng.choices(range(len(CAMPS)), weights=CAMPS)[0] for _ in people]
    statements: list[Statement] = []
    for i, (text, _lean) in enumerate(STATEMENTS):
        author = admin if i < 4 and admin else people[rng.randrange(len(people))]
        with clock.frozen(start + dt.timedelta(hours=2 + 7 * i)):
            statements.append(services.statement_add(module=module, user=author, text=text))
    have = set(StatementVote.objects.filter(statement__module=module).values_list("statement_id", "user_id"))
    votes = []
    for person, camp in zip(people, camp_of, strict=True):
        # Most vote on a part of the statements only, as in a real conversation.
        for statement, (_text, lean) in zip(statements, STATEMENTS, strict=True):
            if rng.random() < 0.35 or (statement.pk, person.pk) in have:
                continue
            at = start + dt.timedelta(days=rng.uniform(1, 11))
            votes.append(
                StatementVote(
                    statement=statement, user=person, choice=_choice(lean[camp], rng), created=at, updated=at
                )
            )
    StatementVote.objects.bulk_create(votes, batch_size=2000)
    voters = {v.user_id for v in votes}
    Participation.objects.bulk_create(
        [Participation(project=project, user_id=pk, first_seen=start + DAY) for pk in sorted(voters)],
        ignore_conflicts=True,
    )
    services.request_recompute(module)
    stdout.write(
        f"Opinion groups: {len(statements)} statements, {len(votes)} votes of {len(voters)} residents."
    )
