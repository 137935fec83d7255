"""Demo content of info.news: a handful of St Petersburg news items (one scheduled for the coming days)
and planned works with real shapes — a stretch of Nevsky Prospect, hot-water shutdowns by blocks (the
summer ritual), a power cut, park works — dated around the anchor day, through the real services."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from gorod.accounts.models import User
from gorod.city.models import District
from gorod.demo.reports.pictures import draw
from gorod.info.news import services
from gorod.info.news.models import NewsItem, PlannedWork

NEWS = (
    # (title, summary, body, district slug or "", tags, days from the anchor, photo scene or "")
    (
        "Летний график отключений горячей воды",
        "Водоканал и ТЭК опубликовали график гидравлических испытаний на лето.",
        "С мая по август в каждом доме горячую воду отключают **на 10 дней** для испытаний теплосетей.\n\n"
        "- Узнать даты для своего дома можно на странице [плановых работ](/news/works/).\n"
        "- Подпишитесь на новости своего района, чтобы получить письмо заранее.\n",
        "",
        ["ЖКХ", "горячая вода"],
        -6,
        "generic",
    ),
    (
        "Ремонт Невского проспекта: ограничение движения",
        "От Аничкова моста до площади Восстания закрыт правый ряд.",
        "Идёт замена асфальтового покрытия на участке **от Фонтанки до площади Восстания**.\n\n"
        "Работы ведутся ночью, с 23:00 до 6:00. Автобусы ходят без изменений.",
        "tsentralny",
        ["ремонт дорог", "транспорт"],
        -3,
        "pothole",
    ),
    (
        "Благоустройство сквера на Васильевском острове",
        "Новые скамейки, освещение и детская площадка к осени.",
        "Сквер на **6-й и 7-й линиях** закрыт на благоустройство. Проект выбрали жители "
        "в программе «Твой бюджет».",
        "vasileostrovsky",
        ["благоустройство", "Твой бюджет"],
        -1,
        "",
    ),
    (
        "Приём заявок в «Твой бюджет» продлён",
        "Идеи для своего района можно подать ещё две недели.",
        "Подайте идею на странице [бюджета](/pb/). Лучшие идеи отберёт комиссия жителей.",
        "",
        ["Твой бюджет"],
        0,
        "",
    ),
    (
        "Опрессовка теплосетей в Невском районе",
        "Запланирована проверка теплосетей на правом берегу.",
        "В домах у проспекта Большевиков возможны перебои с горячей водой.",
        "nevsky",
        ["ЖКХ"],
        3,  # scheduled: appears by itself on the day
        "",
    ),
)


def _line(*points: tuple[float, float]) -> dict:
    return {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in points]}


def _area(south: float, west: float, north: float, east: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _point(lat: float, lon: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


WORKS = (
    # (kind, title, address, description, geometry, starts (days from anchor), ends (days))
    (
        PlannedWork.Kind.ROADWORKS,
        "Замена покрытия Невского проспекта",
        "Невский проспект, от Аничкова моста до площади Восстания",
        "Ночные работы, закрыт правый ряд.",
        _line((59.9331, 30.3433), (59.9325, 30.3520), (59.9316, 30.3603)),
        -3,
        25,
    ),
    (
        PlannedWork.Kind.HOT_WATER,
        "Гидравлические испытания: нет горячей воды",
        "Васильевский остров, 5–9 линии между Большим и Средним проспектами",
        "Горячая вода будет отключена на время испытаний теплосети.",
        _area(59.9370, 30.2760, 59.9410, 30.2860),
        -2,
        8,
    ),
    (
        PlannedWork.Kind.HOT_WATER,
        "Отключение горячей воды на Петроградской стороне",
        "Каменноостровский проспект, 40–60",
        "",
        _area(59.9610, 30.3110, 59.9650, 30.3190),
        5,
        15,
    ),
    (
        PlannedWork.Kind.ELECTRICITY,
        "Плановое отключение электроэнергии",
        "Московский проспект, 190",
        "Замена кабеля, с 9:00 до 17:00.",
        _point(59.8663, 30.3215),
        1,
        1,
    ),
    (
        PlannedWork.Kind.LANDSCAPING,
        "Благоустройство сквера",
        "6-я и 7-я линии В.О., сквер",
        "Скамейки, освещение, детская площадка.",
        _area(59.9390, 30.2800, 59.9402, 30.2830),
        -1,
        60,
    ),
    (
        PlannedWork.Kind.HEATING,
        "Опрессовка теплосетей",
        "Проспект Большевиков, 1–30",
        "",
        _line((59.9190, 30.4660), (59.9100, 30.4730), (59.9020, 30.4780)),
        4,
        10,
    ),
)


def _author(municipality) -> User | None:
    staff = get_user_model().objects.filter(role=User.Role.CITY_ADMIN, is_active=True)
    return staff.filter(municipality=municipality).first() or staff.filter(municipality__isnull=True).first()


@transaction.atomic
def seed(*, municipality, seed: int, anchor: dt.date, stdout) -> None:
    """Idempotent: an item or work already there (by title) is left as it is."""
    author = _author(municipality)
    if author is None:
        stdout.write("news: no city administrator account; no news added.")
        return
    tz = ZoneInfo(municipality.timezone)
    noon = dt.datetime.combine(anchor, dt.time(10, 0), tzinfo=tz)
    rng = random.Random(seed)
    districts = {d.slug: d for d in District.objects.filter(municipality=municipality)}
    added_news = added_works = 0
    for title, summary, body, slug, tags, days, scene in NEWS:
        if NewsItem.objects.filter(municipality=municipality, title=title).exists():
            continue
        if slug and slug not in districts:
            continue  # another city file: its districts have other names
        services.news_create(
            municipality=municipality,
            author=author,
            data=services.NewsData(
                title=title,
                summary=summary,
                body=body,
                district=districts.get(slug),
                tags=tags,
                published_at=noon + dt.timedelta(days=days),
                photos=[draw(rng, scene)] if scene else [],
                photo_alts=[summary],
            ),
        )
        added_news += 1
    for kind, title, address, description, shape, starts, ends in WORKS:
        if PlannedWork.objects.filter(municipality=municipality, title=title).exists():
            continue
        try:
            with transaction.atomic():
                services.work_create(
                    municipality=municipality,
                    author=author,
                    data=services.WorkData(
                        kind=kind,
                        title=title,
                        address=address,
                        description=description,
                        geometry=shape,
                        starts_on=anchor + dt.timedelta(days=starts),
                        ends_on=anchor + dt.timedelta(days=ends),
                        published_at=noon + dt.timedelta(days=min(starts, 0) - 1),
                    ),
                )
        except ValidationError:
            continue  # a shape outside this city (a city file other than St Petersburg's)
        added_works += 1
    stdout.write(f"news: {added_news} news items and {added_works} planned works added.")
