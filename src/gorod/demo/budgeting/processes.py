"""Demo content: two participatory-budgeting processes for the first two districts of the demo city.

* "tvoy-byudzhet-demo": a finished process run through the real services under a moved clock — ideas,
  support, the commission lottery, expert opinions, a few thousand ballots, published results and
  implementation milestones.
* "tvoy-byudzhet-golosovanie": the same kind of process in its ballot phase now, so a person can vote:
  resident numbers (census) with their dates of birth and one-time voting codes are printed by
  `seed_demo`.

Called by `gorod seed_demo` (demo.seeders). Idempotent: a process that exists is left as it is;
the resident numbers and codes are derived from `seed`, so a second run prints the same ones."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from gorod.budgeting import keys
from gorod.budgeting.eligibility.census import census_upload
from gorod.budgeting.eligibility.codes import ALPHABET
from gorod.budgeting.models import Ballot, ExpertAssignment, Process, Receipt, VotingCode
from gorod.budgeting.phases import PhaseKind
from gorod.budgeting.services import (
    NewPhase,
    candidate_add,
    idea_submit,
    idea_support,
    lottery_commit,
    lottery_draw,
    lottery_setup,
    milestone_add,
    process_advance,
    process_create,
    results_publish,
    review_submit,
)
from gorod.city.models import Municipality
from gorod.core import clock
from gorod.demo.accounts import DEMO_PASSWORD

DONE_SLUG = "tvoy-byudzhet-demo"
OPEN_SLUG = "tvoy-byudzhet-golosovanie"
BALLOTS = 3000
RESIDENTS = 12
CODES = 8
EXPERT_USERNAME = "pb-expert"

# (title, description, cost in thousands of roubles, where: 0 city, 1 first district, 2 second)
IDEAS = [
    ("Скамейки и урны в сквере", "Поставить 20 скамеек и урн вдоль дорожек сквера.", 900, 1),
    ("Детская площадка у школы", "Новая площадка с мягким покрытием для детей 3–12 лет.", 2400, 1),
    ("Освещение набережной", "Фонари на неосвещённом участке набережной, 600 м.", 3100, 1),
    ("Велопарковки у метро", "Двадцать велопарковок у выходов станции метро.", 400, 1),
    ("Сад на крыше библиотеки", "Открытый сад и читальный зал на крыше районной библиотеки.", 2800, 1),
    ("Площадка для выгула собак", "Огороженная площадка с покрытием и поилкой.", 1200, 2),
    ("Спортивные тренажёры в парке", "Уличные тренажёры и разметка для бега.", 1500, 2),
    ("Пандусы у поликлиники", "Пандусы и поручни у входа и на крыльце поликлиники.", 700, 2),
    ("Клумбы на бульваре", "Многолетние цветы и кустарники вдоль бульвара.", 600, 2),
    ("Каток во дворе", "Заливной каток с освещением на зиму.", 1800, 2),
    ("Фонтан на главной площади", "Большой поющий фонтан с подсветкой.", 9000, 2),
]
INFEASIBLE = {"Сад на крыше библиотеки", "Фонтан на главной площади"}
BUDGETS = (6000, 5000)  # thousands, per district


def _noon(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=tz)


@contextmanager
def _at(moment: dt.datetime) -> Iterator[None]:
    with clock.frozen(moment):
        yield


def _phases(first_day: dt.date, tz: ZoneInfo, lengths: list[tuple[str, int]]) -> list[NewPhase]:
    out, start = [], _noon(first_day, tz).replace(hour=0)
    for kind, days in lengths:
        end = start + dt.timedelta(days=days)
        out.append(
            NewPhase(
                kind=kind, starts=start, ends=end, support_threshold=1 if kind == PhaseKind.SUPPORT else 0
            )
        )
        start = end
    return out


def _users(municipality: Municipality):
    model = get_user_model()
    users = {u.username: u for u in model.objects.filter(username__in=["citizen", "admin", "executor"])}
    if {"citizen", "admin", "executor"} - set(users):
        return None
    expert, created = model.objects.get_or_create(
        username=EXPERT_USERNAME,
        defaults={"first_name": "Вера", "last_name": "Экспертова", "role": "citizen"},
    )
    if created:
        expert.display_name = "Вера Экспертова (независимый эксперт)"
        expert.set_password(DEMO_PASSWORD)
        expert.save()
    users["expert"] = expert
    return users


def _born(i: int) -> dt.date:
    """A demo resident's date of birth, the census secret that goes with their number."""
    return dt.date(1960 + 3 * i, 1 + i % 12, 1 + (7 * i) % 28)


def _code(rng: random.Random) -> str:
    symbols = "".join(rng.choice(ALPHABET) for _ in range(16))
    return "-".join(symbols[i : i + 4] for i in range(0, 16, 4))


def _ideas_to_ballot(process: Process, users, districts, phases: list[NewPhase], rng: random.Random) -> None:
    """Run ideas → support → lottery → review → ballot opening through the services."""
    by_kind = {p.kind: p for p in phases}
    inside = dt.timedelta(hours=2)
    projects = []
    with _at(by_kind[PhaseKind.IDEAS].starts + inside):
        for title, description, cost, where in IDEAS:
            projects.append(
                idea_submit(
                    process=process,
                    author=users["citizen"],
                    title=title,
                    description=description,
                    cost=Decimal(cost * 1000),
                    district=districts[where - 1] if where else None,
                    location="",
                )
            )
    with _at(by_kind[PhaseKind.SUPPORT].starts + inside):
        for project in projects:
            idea_support(project=project, user=users["citizen"])
    if PhaseKind.LOTTERY in by_kind:
        with _at(by_kind[PhaseKind.LOTTERY].starts + inside):
            process_advance(process=process)
            lot = lottery_setup(process=process, actor=users["admin"], seats=5, reserves=2)
            names = [
                "Алексей К.",
                "Мария С.",
                "Ирина П.",
                "Дмитрий Л.",
                "Ольга В.",
                "Сергей Н.",
                "Татьяна М.",
                "Николай Б.",
                "Елена Г.",
                "Павел Р.",
                "Анна Ж.",
                "Юрий Ф.",
            ]
            for name in names:
                candidate_add(lottery=lot, actor=users["admin"], public_name=name)
            lot = lottery_commit(lottery=lot, actor=users["admin"])
            lottery_draw(lottery=lot, actor=users["admin"])
    with _at(by_kind[PhaseKind.REVIEW].starts + inside):
        process_advance(process=process)
        ExpertAssignment.objects.get_or_create(
            process=process, user=users["expert"], defaults={"affiliation": "СПбГАСУ"}
        )
        for project in projects:
            feasible = project.title not in INFEASIBLE
            estimate = project.cost * Decimal(rng.choice([0.9, 1.0, 1.1, 1.2]))
            opinion = (
                "Проект реализуем в течение одного сезона; смета уточнена по сборнику цен."
                if feasible
                else "Проект нельзя реализовать: участок не принадлежит городу, "
                "а стоимость превышает бюджет района."
            )
            review_submit(
                project=project,
                expert=users["expert"],
                feasible=feasible,
                cost_estimate=estimate.quantize(Decimal(1000)),
                opinion=opinion,
            )
    with _at(by_kind[PhaseKind.BALLOT].starts + inside):
        process_advance(process=process)


def _ballots(process: Process, districts, rng: random.Random, cast_day: dt.datetime) -> None:
    """BALLOTS simulated ballots (bulk: a demo of thousands need not go through the roll). Two groups of
    voters with different tastes, so greedy and MES differ."""
    on_ballot = {
        d.pk: list(process.projects.filter(district=d, status="on_ballot").order_by("order"))
        for d in districts
    }
    rows, receipts = [], []
    hour = cast_day.replace(minute=0, second=0, microsecond=0)
    for i in range(BALLOTS):
        district = districts[i % 2]
        projects = on_ballot[district.pk]
        if not projects:
            continue
        majority = rng.random() < 0.7
        weights = [(3.0 if (j % 2 == 0) == majority else 0.6) for j in range(len(projects))]
        chosen = []
        for project, weight in zip(projects, weights, strict=True):
            if rng.random() < min(0.9, 0.25 * weight):
                chosen.append(project.code)
        if not chosen:
            chosen = [rng.choice(projects).code]
        rows.append(Ballot(process=process, district=district, choices=chosen, cast_hour=hour))
    Ballot.objects.bulk_create(rows, batch_size=1000)
    for ballot in Ballot.objects.filter(process=process).only("pk"):
        receipts.append(
            Receipt(
                process=process,
                receipt_hash=keys.receipt_hash(f"demo-{process.pk}-{ballot.pk}-{rng.random()}"),
                ballot=ballot,
            )
        )
    Receipt.objects.bulk_create(receipts, batch_size=1000)


@transaction.atomic
def _finished(
    municipality: Municipality, users, districts, anchor: dt.date, tz: ZoneInfo, rng: random.Random, stdout
) -> None:
    if Process.objects.filter(municipality=municipality, slug=DONE_SLUG).exists():
        return
    phases = _phases(
        anchor - dt.timedelta(days=200),
        tz,
        [
            (PhaseKind.IDEAS, 30),
            (PhaseKind.SUPPORT, 20),
            (PhaseKind.LOTTERY, 7),
            (PhaseKind.REVIEW, 30),
            (PhaseKind.BALLOT, 21),
            (PhaseKind.RESULTS, 14),
            (PhaseKind.IMPLEMENTATION, 365),
        ],
    )
    with _at(phases[0].starts - dt.timedelta(days=1)):
        process = process_create(
            municipality=municipality,
            slug=DONE_SLUG,
            title="Твой бюджет: итоги прошлого цикла",
            title_en="Your budget: the last cycle",
            description=(
                "Жители двух районов предложили, как потратить часть бюджета, "
                "эксперты проверили идеи, жители проголосовали."
            ),
            description_en=(
                "Residents of two districts proposed how to spend part of the budget; "
                "experts checked the ideas; residents voted."
            ),
            budgets=[(d, Decimal(b * 1000)) for d, b in zip(districts, BUDGETS, strict=True)],
            phase_list=phases,
            ballot_kind=Process.BallotKind.APPROVAL,
            max_choices=3,
            tally_rule="mes-add1",
            min_age=14,
        )
    _ideas_to_ballot(process, users, districts, phases, rng)
    ballot_phase = phases[4]
    _ballots(process, districts, rng, ballot_phase.starts + dt.timedelta(days=3))
    with _at(ballot_phase.ends + dt.timedelta(hours=2)):
        results_publish(process=process)
    with _at(phases[6].starts + dt.timedelta(days=10)):
        for i, project in enumerate(process.projects.filter(status="funded").order_by("order")[:4]):
            milestone_add(
                project=project,
                actor=users["admin"],
                date=clock.today(tz) - dt.timedelta(days=5 - i),
                text=[
                    "Подписан контракт с подрядчиком.",
                    "Закуплены материалы.",
                    "Работы начаты.",
                    "Проект согласован.",
                ][i],
                money_spent=project.cost * Decimal("0.2") * (i + 1),
            )
    stdout.write(
        f"Participatory budgeting: finished process /pb/{DONE_SLUG}/ with {BALLOTS} ballots "
        "and published results."
    )


@transaction.atomic
def _open(
    municipality: Municipality, users, districts, anchor: dt.date, tz: ZoneInfo, rng: random.Random, stdout
) -> None:
    process = Process.objects.filter(municipality=municipality, slug=OPEN_SLUG).first()
    if process is None:
        phases = _phases(
            anchor - dt.timedelta(days=60),
            tz,
            [
                (PhaseKind.IDEAS, 20),
                (PhaseKind.SUPPORT, 15),
                (PhaseKind.REVIEW, 20),
                (PhaseKind.BALLOT, 65),
                (PhaseKind.RESULTS, 30),
            ],
        )
        with _at(phases[0].starts - dt.timedelta(days=1)):
            process = process_create(
                municipality=municipality,
                slug=OPEN_SLUG,
                title="Твой бюджет: голосование",
                title_en="Your budget: the vote",
                description=(
                    "Голосование открыто: выберите до трёх проектов своего района. "
                    "Голос можно изменить до закрытия."
                ),
                description_en=(
                    "The vote is open: choose up to three projects in your district. "
                    "You can change your vote until it closes."
                ),
                budgets=[(d, Decimal(b * 1000)) for d, b in zip(districts, BUDGETS, strict=True)],
                phase_list=phases,
                ballot_kind=Process.BallotKind.APPROVAL,
                max_choices=3,
                tally_rule="mes-add1",
                min_age=14,
                allow_census=True,
                allow_codes=True,
            )
        _ideas_to_ballot(process, users, districts, phases, rng)
    # Resident numbers and codes: the same for a given seed, printed on every run (demo data).
    codes_rng = random.Random(f"pb-demo-{process.pk}")
    residents = [(f"DEMO-{100 + i}", districts[i % 2], _born(i)) for i in range(RESIDENTS)]
    existing = set(process.census.values_list("identifier_hash", flat=True))
    new_rows = [
        f"{ident},{d.slug},{born.isoformat()}"
        for ident, d, born in residents
        if keys.census_hash(process, ident) not in existing
    ]
    if new_rows:
        census_upload(process=process, data="\n".join(new_rows))
    codes = []
    for i in range(CODES):
        code, district = _code(codes_rng), districts[i % 2]
        VotingCode.objects.get_or_create(
            process=process, code_hash=keys.code_hash(process, code), defaults={"district": district}
        )
        codes.append((code, district))
    stdout.write(
        f"Participatory budgeting: vote open at /pb/{OPEN_SLUG}/. Resident numbers (census) "
        "with the date of birth that goes with each:"
    )
    for ident, d, born in residents:
        stdout.write(f"  {ident}  {born:%d.%m.%Y}  {d.name}")
    stdout.write("One-time voting codes:")
    for code, d in codes:
        used = VotingCode.objects.filter(
            process=process, code_hash=keys.code_hash(process, code), used__isnull=False
        ).exists()
        stdout.write(f"  {code}  {d.name}{' (used)' if used else ''}")


def seed(*, municipality: Municipality, seed: int, anchor: dt.date, stdout) -> None:
    districts = list(municipality.districts.order_by("slug")[:2])
    users = _users(municipality)
    if len(districts) < 2 or users is None:
        stdout.write("Participatory budgeting: skipped (the demo needs two districts and the demo accounts).")
        return
    tz = ZoneInfo(municipality.timezone)
    rng = random.Random(seed * 1_000_033 + 7)
    _finished(municipality, users, districts, anchor, tz, rng, stdout)
    _open(municipality, users, districts, anchor, tz, rng, stdout)
