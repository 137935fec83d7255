"""Realistic historical reports for the demo city, as rows for reports.services.bulk.reports_load_history.

Everything comes from one `random.Random(seed)` and the anchor day, so the same seed, anchor and city
give the same rows. The shape of the data:
- over the 730 days before the anchor, more on working days, more in spring, growing slowly over time;
- districts by population × activity (the centre reports more per resident), points spread around the
  district's hubs or the gazetteer's places and always inside the district's polygon;
- a category in season on the day it is filed, by popularity;
- a third in English; contacts for most (fake names at example.org), anonymous where allowed;
- each report's eventual history (moderation, work, resolution, confirmation or dispute, a few transfers,
  rejections with reasons, duplicates of an earlier report nearby, some late and a few stuck), cut at the
  anchor — so old reports are closed and recent ones are still waiting, and some are overdue.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from gorod.city import selectors as city_selectors
from gorod.city.districts import district_at
from gorod.city.models import Attribute, Category, Department, District, Municipality, Place
from gorod.core import geo
from gorod.demo.city.classifier import CATEGORIES
from gorod.demo.city.geography import DISTRICTS, PLACES
from gorod.demo.reports import texts
from gorod.reports.services.bulk import HistoryRow, Routes, Step

DAYS = 730
ENGLISH_SHARE = 0.33
METRES_PER_DEGREE = 111_320.0
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# Reports filed per hour of the day (local time), relative.
HOURLY = (
    0.2,
    0.1,
    0.1,
    0.1,
    0.1,
    0.2,
    0.5,
    1.0,
    1.6,
    1.8,
    1.8,
    1.7,
    1.6,
    1.6,
    1.6,
    1.6,
    1.6,
    1.7,
    1.8,
    1.9,
    1.8,
    1.5,
    1.0,
    0.5,
)
# Spring is the busiest season (thaw, potholes, litter under the snow), then early autumn.
MONTHLY = (1.0, 1.05, 1.3, 1.45, 1.4, 1.1, 0.95, 1.0, 1.05, 1.0, 0.9, 0.95)


@dataclass
class _Point:
    lat: float
    lon: float


@dataclass
class World:
    """What the generator needs from the imported city, in a deterministic order."""

    municipality: Municipality
    districts: list[District]
    district_weights: list[float]
    hubs: dict[int, list[tuple[float, float, float]]]
    places: dict[int, list[tuple[Place, bool]]]  # district id → (place, is a street)
    categories: list[Category]
    category_weights: dict[int, float]
    attributes: dict[int, list[Attribute]]
    departments: dict[str, Department]
    routes: Routes
    moderator_id: int | None = None
    executor_id: int | None = None
    executor_department_id: int | None = None
    citizen_id: int | None = None
    _season_cache: dict[str, tuple[list[Category], list[float]]] = field(default_factory=dict)

    @classmethod
    def load(cls, municipality: Municipality, users: dict | None = None) -> World:
        users = users or {}
        by_slug = {d.slug: d for d in District.objects.filter(municipality=municipality)}
        meta = {d.slug: d for d in DISTRICTS}
        districts = [by_slug[s] for s in sorted(by_slug)]
        weights = [
            d.population * (meta[d.slug].activity if d.slug in meta else 1.0) or 1.0 for d in districts
        ]
        hubs: dict[int, list[tuple[float, float, float]]] = {}
        for d in districts:
            if d.slug in meta:
                hubs[d.pk] = list(meta[d.slug].hubs)
            else:  # a district not in the demo data: its polygon's inner point
                point = geo.geometry_from_geojson(d.boundary).representative_point()
                hubs[d.pk] = [(point.y, point.x, 1.0)]
        streets = {p.name for p in PLACES if p.street}
        places: dict[int, list[tuple[Place, bool]]] = {}
        for place in Place.objects.filter(municipality=municipality).order_by("name", "pk"):
            district_id = district_at(municipality.pk, place.lat, place.lon)
            if district_id is not None:
                places.setdefault(district_id, []).append((place, place.name in streets))
        categories = list(
            Category.objects.filter(municipality=municipality, active=True).order_by("service_code")
        )
        popularity = {c.code: c.weight for c in CATEGORIES}
        attributes: dict[int, list[Attribute]] = {c.pk: [] for c in categories}
        for a in Attribute.objects.filter(category__in=categories).order_by("category_id", "order", "code"):
            attributes[a.category_id].append(a)
        executor = users.get("executor")
        return cls(
            municipality=municipality,
            districts=districts,
            district_weights=weights,
            hubs=hubs,
            places=places,
            categories=categories,
            category_weights={c.pk: popularity.get(c.service_code, 1.0) for c in categories},
            attributes=attributes,
            departments={d.slug: d for d in Department.objects.filter(municipality=municipality)},
            routes=Routes(municipality),
            moderator_id=users["moderator"].pk if "moderator" in users else None,
            executor_id=executor.pk if executor else None,
            executor_department_id=executor.department_id if executor else None,
            citizen_id=users["citizen"].pk if "citizen" in users else None,
        )

    def in_season(self, day: dt.date) -> tuple[list[Category], list[float]]:
        """The categories open on `day` with cumulative weights (cached per calendar day of the year)."""
        key = day.strftime("%m-%d")
        if key not in self._season_cache:
            open_ = [c for c in self.categories if c.in_season(day)]
            cumulative, total = [], 0.0
            for c in open_:
                total += self.category_weights[c.pk]
                cumulative.append(total)
            self._season_cache[key] = (open_, cumulative)
        return self._season_cache[key]


def _allocate(n: int, weights: list[float]) -> list[int]:
    """Split n into integer counts proportional to weights (largest remainders; no randomness)."""
    total = sum(weights)
    exact = [n * w / total for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


class Generator:
    def __init__(self, world: World, *, n: int, seed: int, anchor: dt.date):
        self.w = world
        self.n = n
        self.rng = random.Random(seed)
        self.seed = seed
        self.tz = ZoneInfo(world.municipality.timezone)
        self.anchor = anchor
        self.limit = dt.datetime.combine(anchor, dt.time(0, 0), tzinfo=self.tz)
        self.calendar = city_selectors.calendar_for(world.municipality.pk)
        self.district_cum = _cumulative(world.district_weights)
        self.hour_cum = _cumulative(HOURLY)
        self.recent: dict[int, deque] = {}  # category id → recent (index, lat, lon, created) for duplicates
        self.photo_rows: list[int] = []
        # About one report in 80 has a photo (at least 3, at most 400: drawing them takes time).
        wanted = min(n, max(3, min(400, n // 80)))
        self.photo_pick = set(random.Random(f"photos-{seed}").sample(range(n), wanted)) if n else set()
        self.transfer_targets = [
            world.departments[s] for s in ("kb", "gati", "zhilkom") if s in world.departments
        ]

    # --- when --------------------------------------------------------------------------------------
    def days(self) -> list[tuple[dt.date, int]]:
        first = self.anchor - dt.timedelta(days=DAYS)
        days = [first + dt.timedelta(days=i) for i in range(DAYS)]
        weights = []
        for i, day in enumerate(days):
            weekend = 0.6 if day.weekday() == 5 else 0.5
            busy = 1.0 if self.calendar.is_working_day(day) else weekend
            growth = 0.85 + 0.3 * i / DAYS  # the platform grows
            weights.append(busy * MONTHLY[day.month - 1] * growth)
        return list(zip(days, _allocate(self.n, weights), strict=True))

    def times(self, day: dt.date, count: int) -> list[dt.datetime]:
        rng = self.rng
        seconds = []
        for _ in range(count):
            hour = bisect.bisect_right(self.hour_cum, rng.random() * self.hour_cum[-1])
            seconds.append(min(hour, 23) * 3600 + rng.randrange(3600))
        midnight = dt.datetime.combine(day, dt.time(0, 0), tzinfo=self.tz)
        return [midnight + dt.timedelta(seconds=s) for s in sorted(seconds)]

    # --- where -------------------------------------------------------------------------------------
    def place(self, district: District, english: bool) -> tuple[float, float, str]:
        rng, w = self.rng, self.w
        muni_id = w.municipality.pk
        places = w.places.get(district.pk, [])
        if places and rng.random() < 0.45:
            place, street = rng.choice(places)
            for _ in range(6):
                lat, lon = _near(rng, place.lat, place.lon, 180.0)
                if district_at(muni_id, lat, lon) == district.pk:
                    name = place.name_en if english and place.name_en else place.name
                    if street:
                        return lat, lon, f"{name}, {rng.randint(1, 150)}"
                    return lat, lon, name
        hubs = w.hubs[district.pk]
        cum = _cumulative([h[2] for h in hubs])
        hub = hubs[bisect.bisect_right(cum, rng.random() * cum[-1])]
        sigma = 1100.0 if len(hubs) > 1 else 700.0
        for _ in range(12):
            lat, lon = _near(rng, hub[0], hub[1], sigma)
            if district_at(muni_id, lat, lon) == district.pk:
                return lat, lon, ""
        return hub[0], hub[1], ""  # hubs lie inside their district by construction (build_spb checks)

    # --- what happened -----------------------------------------------------------------------------
    def attributes(
        self, category: Category, english: bool, created: dt.datetime
    ) -> dict[str, str | list[str]]:
        rng = self.rng
        out: dict[str, str | list[str]] = {}
        for a in self.w.attributes.get(category.pk, []):
            if not a.variable or (not a.required and rng.random() < 0.5):
                continue
            if a.datatype == Attribute.Datatype.NUMBER:
                out[a.code] = str(rng.randint(1, 40))
            elif a.datatype == Attribute.Datatype.DATETIME:  # shortly before filing, ISO 8601
                out[a.code] = (created - _hours(rng, 1, 200)).isoformat(timespec="minutes")
            elif a.datatype == Attribute.Datatype.SINGLEVALUELIST:
                out[a.code] = rng.choice(a.value_keys())
            elif a.datatype == Attribute.Datatype.MULTIVALUELIST:
                keys = a.value_keys()
                out[a.code] = rng.sample(keys, rng.randint(1, min(2, len(keys))))
            elif a.datatype == Attribute.Datatype.TEXT:
                out[a.code] = "Подробности при звонке." if not english else "Details on request."
            else:
                out[a.code] = (
                    f"{rng.randint(1, 9)}{rng.choice('АВЕКМНОРСТУХ')}"
                    if not english
                    else str(rng.randint(1, 99))
                )
        return out

    def history(
        self,
        category: Category,
        created: dt.datetime,
        english: bool,
        duplicate: bool,
        department: Department | None,
    ) -> list[Step]:
        rng, w = self.rng, self.w
        mod = w.moderator_id
        note = lambda pairs: texts.pick(rng, pairs, english)  # noqa: E731
        steps: list[Step] = []
        t = created
        fate = rng.random()
        if duplicate:
            if rng.random() < 0.2:
                t += _hours(rng, 1, 20)
                steps.append(Step("accept", t, actor_id=mod))
            t += _hours(rng, 1, 24)
            text = (
                "Такое сообщение уже есть, следите за ним."
                if not english
                else "Already reported; follow that one."
            )
            steps.append(Step("mark_duplicate", t, public_note=text, actor_id=mod))
            return self._until_anchor(steps)
        if fate < 0.07:
            t += _hours(rng, 2, 30)
            steps.append(Step("reject", t, public_note=note(texts.REJECT_REASONS), actor_id=mod))
            return self._until_anchor(steps)
        t += _hours(rng, 1, 28) if rng.random() < 0.8 else _hours(rng, 28, 80)  # busy days: moderation lags
        steps.append(Step("accept", t, actor_id=mod))
        # The demo executor works for one department; others' staff are not in the demo.
        here = department.pk if department else None
        worker = w.executor_id if here is not None and here == w.executor_department_id else None
        if rng.random() < 0.04 and self.transfer_targets:
            target = rng.choice(self.transfer_targets)
            if target.pk != here:
                t += _hours(rng, 2, 48)
                steps.append(
                    Step(
                        "transfer",
                        t,
                        public_note=note(texts.TRANSFER_NOTES),
                        actor_id=mod,
                        department_id=target.pk,
                    )
                )
                worker = None
        span = dt.timedelta(days=category.deadline_days * 1.4)  # working days → calendar days, roughly
        if rng.random() < 0.9:
            t += _hours(rng, 2, 72)
            steps.append(Step("start", t, actor_id=worker))
        pace = rng.random()
        if pace < 0.02:  # stuck: never resolved, overdue for as long as the anchor is later
            return self._until_anchor(steps)
        t += span * (rng.uniform(0.15, 1.0) if pace < 0.85 else rng.uniform(1.05, 2.5))
        steps.append(Step("resolve", t, public_note=note(texts.RESOLVE_NOTES), actor_id=worker))
        after = rng.random()
        if after < 0.62:
            steps.append(Step("confirm", t + _hours(rng, 20, 240)))
        elif after < 0.69:
            t += _hours(rng, 20, 120)
            steps.append(Step("dispute", t, public_note=note(texts.DISPUTE_NOTES)))
            t += _hours(rng, 2, 48)
            steps.append(Step("reopen", t, actor_id=mod))
            t += _hours(rng, 1, 48)
            steps.append(Step("start", t, actor_id=worker))
            t += span * rng.uniform(0.2, 1.2)
            steps.append(Step("resolve", t, public_note=note(texts.RESOLVE_NOTES), actor_id=worker))
            if rng.random() < 0.5:
                steps.append(Step("confirm", t + _hours(rng, 20, 200)))
            else:
                steps.append(Step("confirm", t + SILENCE_CONFIRMS))
        else:
            # No answer: the worker's auto-confirmation closes it once the window has passed. Written
            # into the history here, or the first worker run would confirm (and mail) thousands at once.
            steps.append(Step("confirm", t + SILENCE_CONFIRMS))
        return self._until_anchor(steps)

    def _until_anchor(self, steps: list[Step]) -> list[Step]:
        """The part of the story that has happened by the anchor (any prefix of a valid path is valid)."""
        for i, step in enumerate(steps):
            if step.at >= self.limit:
                return steps[:i]
        return steps

    # --- rows --------------------------------------------------------------------------------------
    def rows(self) -> Iterator[HistoryRow]:
        rng, w = self.rng, self.w
        index = 0
        for day, count in self.days():
            if not count:
                continue
            open_categories, cum = w.in_season(day)
            for created in self.times(day, count):
                district = w.districts[
                    bisect.bisect_right(self.district_cum, rng.random() * self.district_cum[-1])
                ]
                category = open_categories[bisect.bisect_right(cum, rng.random() * cum[-1])]
                english = rng.random() < ENGLISH_SHARE
                original = self._original(category, created) if rng.random() < 0.045 else None
                if original is not None:
                    lat, lon = _near(rng, original[1], original[2], 15.0)
                    if district_at(w.municipality.pk, lat, lon) is None:
                        lat, lon = original[1], original[2]
                    district_id = district_at(w.municipality.pk, lat, lon)
                    address = ""
                else:
                    lat, lon, address = self.place(district, english)
                    district_id = district.pk
                department = w.routes.department(category, district_id) if district_id else None
                row = HistoryRow(
                    category=category,
                    lat=round(lat, 6),
                    lon=round(lon, 6),
                    created=created,
                    description=texts.description(
                        rng, category.service_code, (category.name, category.name_en), english
                    ),
                    address=address,
                    attributes=self.attributes(category, english, created),
                    token=uuid.UUID(int=rng.getrandbits(128), version=4),
                    steps=self.history(category, created, english, original is not None, department),
                    duplicate_of_row=original[0] if original is not None else None,
                )
                self._contacts(row, category, english)
                if original is not None and not any(s.action == "mark_duplicate" for s in row.steps):
                    row.duplicate_of_row = None  # not yet spotted as a duplicate by the anchor
                if original is None and not (row.steps and row.steps[-1].action == "reject"):
                    self.recent.setdefault(category.pk, deque(maxlen=40)).append((index, lat, lon, created))
                if index in self.photo_pick:
                    self.photo_rows.append(index)
                index += 1
                yield row

    def _original(self, category: Category, created: dt.datetime):
        recent = [r for r in self.recent.get(category.pk, ()) if created - r[3] < 20 * DAY]
        return self.rng.choice(recent) if recent else None

    def _contacts(self, row: HistoryRow, category: Category, english: bool) -> None:
        rng = self.rng
        if category.anonymous_allowed and rng.random() < 0.3:
            row.anonymous = True
            return
        if rng.random() < 0.65:
            row.contact_name, row.contact_email = texts.person(rng, english)
            row.show_name = rng.random() < 0.25
            if rng.random() < 0.2:
                row.contact_phone = (
                    f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-00"
                )
        if self.w.citizen_id and rng.random() < 0.01:
            row.author_id = self.w.citizen_id


def _cumulative(weights) -> list[float]:
    out, total = [], 0.0
    for x in weights:
        total += x
        out.append(total)
    return out


def _near(rng: random.Random, lat: float, lon: float, sigma_m: float) -> tuple[float, float]:
    dlat = rng.gauss(0.0, sigma_m) / METRES_PER_DEGREE
    dlon = rng.gauss(0.0, sigma_m) / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


# settings.GOROD_CONFIRM_DAYS working days, in calendar days, with a day to spare.
SILENCE_CONFIRMS = dt.timedelta(days=15)


def _hours(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return HOUR * rng.uniform(low, high)
