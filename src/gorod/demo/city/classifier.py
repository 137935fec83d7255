"""The demo city's executors, object types, classifier and working-day calendar, modelled on the public
classifier of «Наш Санкт-Петербург» (one row per object + problem, pre-moderation of one working day, the
executor's deadline in working days, a seasonal window for some rows, photo proof of the fix for others).

The deadlines and seasons are plausible values in the style of that classifier, not a copy of it.
`HOUSING` as a department means "the housing agency of the report's district" (one routing rule per
district); build_spb.py expands it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

HOUSING = "@housing"


@dataclass(frozen=True)
class Dept:
    slug: str
    name: str
    name_en: str


DEPARTMENTS: tuple[Dept, ...] = (
    Dept("gmc", "СПб ГКУ «Городской мониторинговый центр»", "City Monitoring Centre (moderation)"),
    Dept("zhilkom", "Жилищный комитет", "Housing Committee"),
    Dept("kb", "Комитет по благоустройству", "Committee for Urban Improvement"),
    Dept("gudp-centr", "СПб ГУДП «Центр»", "Road Maintenance Enterprise «Tsentr»"),
    Dept("krti", "Комитет по развитию транспортной инфраструктуры", "Transport Infrastructure Committee"),
    Dept("komtrans", "Комитет по транспорту", "Transport Committee"),
    Dept("orgperevozok", "СПб ГКУ «Организатор перевозок»", "Public Transport Organiser"),
    Dept("get", "СПб ГУП «Горэлектротранс»", "Gorelectrotrans (trams and trolleybuses)"),
    Dept("codd", "СПб ГКУ «Центр организации дорожного движения»", "Traffic Management Centre"),
    Dept("lensvet", "СПб ГУП «Ленсвет»", "Lensvet (street lighting)"),
    Dept("vodokanal", "ГУП «Водоканал Санкт-Петербурга»", "Vodokanal of St Petersburg"),
    Dept("tek", "ГУП «ТЭК СПб»", "Fuel and Energy Complex (TEK SPb)"),
    Dept(
        "gati",
        "Государственная административно-техническая инспекция",
        "Administrative Technical Inspectorate",
    ),
    Dept(
        "kpr", "Комитет по развитию предпринимательства и потребительского рынка", "Consumer Market Committee"
    ),
    Dept("kpp", "Комитет по природопользованию", "Committee for Nature Management"),
    Dept("kobr", "Комитет по образованию", "Education Committee"),
    Dept("kzdrav", "Комитет по здравоохранению", "Health Committee"),
    Dept("mostotrest", "СПб ГБУ «Мостотрест»", "Mostotrest (bridges and embankments)"),
)

OBJECT_TYPES: tuple[tuple[str, str, str], ...] = (
    ("yard", "Двор", "Yard"),
    ("building", "Дом", "Building"),
    ("road", "Дорога", "Road"),
    ("park", "Парк и благоустройство", "Parks and greenery"),
    ("transport", "Транспорт", "Public transport"),
    ("trade", "Торговля и реклама", "Trade and advertising"),
    ("institution", "Учреждения", "Public institutions"),
    ("territory", "Городская территория", "City territory"),
)


def _values(*pairs: tuple[str, str, str]) -> list[dict]:
    return [{"key": k, "name": n, "name_en": e} for k, n, e in pairs]


def attr(
    code: str,
    datatype: str,
    ru: str,
    en: str,
    *,
    required: bool = False,
    variable: bool = True,
    hint: str = "",
    values: list[dict] | None = None,
) -> dict:
    out: dict = {"code": code, "datatype": datatype, "description": ru, "description_en": en}
    if required:
        out["required"] = True
    if not variable:
        out["variable"] = False
    if hint:
        out["datatype_description"] = hint
    if values:
        out["values"] = values
    return out


WINTER = ("11-01", "03-31")  # snow and ice on the ground
ROOF_WINTER = ("11-15", "04-15")  # icicles and snow on roofs
WARM = ("04-16", "10-15")  # «граффити на асфальте» and other warm-season works
SUMMER = ("05-15", "09-30")
HEATING = ("09-15", "05-15")  # the heating season

EMERGENCY_NOTE = attr(
    "emergency",
    "string",
    "Если есть угроза жизни, звоните 112.",
    "If life is at risk, call 112.",
    variable=False,
)


@dataclass(frozen=True)
class Cat:
    code: str
    object_type: str
    name: str
    name_en: str
    description: str
    description_en: str
    department: str
    deadline: int
    season: tuple[str, str] | None = None
    photo: bool = False
    anonymous: bool = False
    attributes: list[dict] = field(default_factory=list)
    weight: float = 1.0  # how often the demo generator picks it (not part of the city file)
    moderation: int = 1


CATEGORIES: tuple[Cat, ...] = (
    # --- двор ------------------------------------------------------------------------------------
    Cat(
        "yard-pothole",
        "yard",
        "Яма во дворе",
        "Pothole in a yard",
        "Ямы и выбоины на внутриквартальных проездах и тротуарах двора.",
        "Potholes on driveways and footpaths inside a residential yard.",
        HOUSING,
        19,
        photo=True,
        weight=6,
        attributes=[
            attr(
                "size",
                "singlevaluelist",
                "Размер ямы",
                "Size of the pothole",
                values=_values(
                    ("small", "до 30 см", "under 30 cm"),
                    ("medium", "30–100 см", "30–100 cm"),
                    ("large", "больше метра", "over a metre"),
                ),
            )
        ],
    ),
    Cat(
        "yard-snow",
        "yard",
        "Неубранный снег во дворе",
        "Snow not cleared in a yard",
        "Снег не убран с проездов, тротуаров и площадок двора.",
        "Snow left on a yard's driveways, paths and playgrounds.",
        HOUSING,
        2,
        season=WINTER,
        photo=True,
        anonymous=True,
        weight=9,
    ),
    Cat(
        "yard-ice",
        "yard",
        "Наледь во дворе",
        "Ice in a yard",
        "Скользко: наледь на проездах и дорожках двора, не посыпано противогололёдными материалами.",
        "Slippery ice on a yard's driveways and paths, not gritted.",
        HOUSING,
        2,
        season=WINTER,
        anonymous=True,
        weight=6,
    ),
    Cat(
        "yard-litter",
        "yard",
        "Мусор во дворе",
        "Litter in a yard",
        "Мусор, листва или ветки на территории двора.",
        "Litter, leaves or branches in a yard.",
        HOUSING,
        3,
        photo=True,
        anonymous=True,
        weight=7,
    ),
    Cat(
        "yard-bins",
        "yard",
        "Переполненные мусорные контейнеры",
        "Overflowing bins",
        "Контейнеры на площадке не вывезены вовремя, мусор вокруг площадки.",
        "Bins not emptied on time, rubbish around the bin area.",
        HOUSING,
        2,
        anonymous=True,
        weight=5,
    ),
    Cat(
        "yard-playground",
        "yard",
        "Сломанная детская площадка",
        "Broken playground",
        "Сломанное или опасное оборудование детской площадки во дворе.",
        "Broken or dangerous equipment on a playground in a yard.",
        HOUSING,
        9,
        photo=True,
        weight=3,
        attributes=[
            attr(
                "equipment",
                "multivaluelist",
                "Что сломано",
                "What is broken",
                values=_values(
                    ("swing", "качели", "swings"),
                    ("slide", "горка", "slide"),
                    ("sandbox", "песочница", "sandbox"),
                    ("fence", "ограждение", "fence"),
                    ("bench", "скамейка", "bench"),
                ),
            )
        ],
    ),
    Cat(
        "yard-lighting",
        "yard",
        "Не работает освещение во дворе",
        "Yard lighting not working",
        "Не горят фонари во дворе или над входом в парадную.",
        "Lamps in a yard or over a building entrance are out.",
        HOUSING,
        5,
        weight=3,
    ),
    Cat(
        "yard-abandoned-car",
        "yard",
        "Брошенный автомобиль во дворе",
        "Abandoned car in a yard",
        "Разукомплектованное или брошенное транспортное средство во дворе.",
        "A stripped or abandoned vehicle left in a yard.",
        HOUSING,
        19,
        weight=2,
        attributes=[
            attr("plate", "string", "Госномер (если есть)", "Number plate (if any)"),
            attr("make", "string", "Марка и цвет", "Make and colour"),
            attr("since", "datetime", "С какого времени стоит", "Standing there since"),
        ],
    ),
    Cat(
        "yard-grass",
        "yard",
        "Нескошенная трава во дворе",
        "Uncut grass in a yard",
        "Трава на газонах двора выше 15 см.",
        "Grass on a yard's lawns is higher than 15 cm.",
        HOUSING,
        9,
        season=SUMMER,
        weight=2,
    ),
    # --- дом -------------------------------------------------------------------------------------
    Cat(
        "roof-icicles",
        "building",
        "Сосульки на крыше",
        "Icicles on a roof",
        "Сосульки и наледь на кровле, козырьках и водостоках над тротуаром.",
        "Icicles and ice on a roof, canopies or gutters above a pavement.",
        HOUSING,
        2,
        season=ROOF_WINTER,
        photo=True,
        anonymous=True,
        weight=6,
        attributes=[EMERGENCY_NOTE],
    ),
    Cat(
        "roof-snow",
        "building",
        "Снег на крыше",
        "Snow on a roof",
        "Крыша не очищена от снега.",
        "A roof has not been cleared of snow.",
        HOUSING,
        3,
        season=ROOF_WINTER,
        photo=True,
        weight=3,
    ),
    Cat(
        "roof-leak",
        "building",
        "Протечка кровли",
        "Leaking roof",
        "Вода с крыши протекает в квартиры или на лестницу.",
        "Rain or melt water leaks through the roof into flats or the staircase.",
        HOUSING,
        9,
        weight=4,
        attributes=[
            attr("floor", "number", "Этаж", "Floor", hint="1–40"),
            attr("flat", "string", "Квартира", "Flat number"),
            attr("started", "datetime", "Когда началась протечка", "When the leak started"),
            attr("details", "text", "Подробности", "Details"),
        ],
    ),
    Cat(
        "facade-damage",
        "building",
        "Повреждение фасада",
        "Damaged facade",
        "Отслоение штукатурки, разрушение карнизов и балконов.",
        "Falling plaster, crumbling cornices or balconies.",
        HOUSING,
        19,
        photo=True,
        weight=3,
    ),
    Cat(
        "facade-graffiti",
        "building",
        "Граффити на фасаде",
        "Graffiti on a facade",
        "Надписи и рисунки на фасаде жилого дома.",
        "Writing or drawings on the facade of a residential building.",
        HOUSING,
        9,
        season=WARM,
        photo=True,
        anonymous=True,
        weight=3,
    ),
    Cat(
        "entrance-dirty",
        "building",
        "Грязь в парадной",
        "Dirty staircase",
        "Лестница и площадки в парадной не убираются.",
        "Stairs and landings in the entrance are not cleaned.",
        HOUSING,
        3,
        weight=3,
    ),
    Cat(
        "entrance-door",
        "building",
        "Сломанная дверь парадной",
        "Broken entrance door",
        "Входная дверь не закрывается, сломан доводчик или домофон.",
        "The front door does not close; the closer or the intercom is broken.",
        HOUSING,
        5,
        weight=2,
    ),
    Cat(
        "drainpipe",
        "building",
        "Повреждение водосточной трубы",
        "Damaged drainpipe",
        "Водосточная труба оторвана, разрушена или отсутствует.",
        "A drainpipe is detached, broken or missing.",
        HOUSING,
        9,
        photo=True,
        weight=2,
    ),
    Cat(
        "basement-flooding",
        "building",
        "Затопление подвала",
        "Flooded basement",
        "Вода в подвале жилого дома.",
        "Water in the basement of a residential building.",
        HOUSING,
        3,
        weight=1,
    ),
    Cat(
        "elevator",
        "building",
        "Не работает лифт",
        "Lift out of order",
        "Лифт в жилом доме остановлен или работает с перебоями.",
        "A lift in a residential building is stopped or keeps failing.",
        HOUSING,
        2,
        weight=2,
        attributes=[
            attr("entrance", "string", "Номер парадной", "Entrance number", required=True),
            attr(
                "lift",
                "singlevaluelist",
                "Какой лифт",
                "Which lift",
                values=_values(
                    ("passenger", "пассажирский", "passenger"), ("freight", "грузовой", "freight")
                ),
            ),
        ],
    ),
    Cat(
        "heating-outage",
        "building",
        "Нет отопления",
        "No heating",
        "Холодные батареи во время отопительного сезона.",
        "Cold radiators during the heating season.",
        "tek",
        2,
        season=HEATING,
        weight=2,
        attributes=[
            attr("flat", "string", "Квартира", "Flat number"),
            attr("temperature", "number", "Температура в квартире, °C", "Temperature indoors, °C"),
        ],
    ),
    # --- дорога ----------------------------------------------------------------------------------
    Cat(
        "road-pothole",
        "road",
        "Яма на проезжей части",
        "Pothole on a road",
        "Ямы, выбоины и просадки асфальта на проезжей части улиц.",
        "Potholes, ruts and sunken asphalt on a street's carriageway.",
        "gudp-centr",
        19,
        photo=True,
        weight=8,
        attributes=[
            attr("depth", "number", "Глубина, см", "Depth in cm"),
            attr("lane", "string", "Полоса или ориентир", "Lane or landmark"),
            attr(
                "hazards",
                "multivaluelist",
                "Что делает её опасной",
                "What makes it dangerous",
                values=_values(
                    ("water", "заполнена водой", "full of water"),
                    ("dark", "не освещена", "unlit"),
                    ("crossing", "у перехода", "at a crossing"),
                    ("tram", "у трамвайных путей", "next to tram tracks"),
                ),
            ),
        ],
    ),
    Cat(
        "road-graffiti",
        "road",
        "Граффити на асфальте",
        "Graffiti on asphalt",
        "Надписи и реклама, нанесённые краской на асфальт.",
        "Writing or adverts painted on the asphalt.",
        "kb",
        19,
        season=WARM,
        photo=True,
        anonymous=True,
        weight=2,
    ),
    Cat(
        "road-snow",
        "road",
        "Неубранный снег на проезжей части",
        "Snow on a road",
        "Снег и снежный накат на проезжей части улицы.",
        "Snow or packed snow on a street's carriageway.",
        "gudp-centr",
        2,
        season=WINTER,
        weight=5,
    ),
    Cat(
        "sidewalk-ice",
        "road",
        "Гололёд на тротуаре",
        "Ice on a pavement",
        "Тротуар вдоль улицы не посыпан, скользко.",
        "A street pavement is icy and has not been gritted.",
        "gudp-centr",
        2,
        season=WINTER,
        anonymous=True,
        weight=5,
    ),
    Cat(
        "sidewalk-damage",
        "road",
        "Повреждение тротуара",
        "Damaged pavement",
        "Разрушенное покрытие, бордюр или ступени тротуара вдоль улицы.",
        "Broken surface, kerb or steps of a street pavement.",
        "gudp-centr",
        19,
        photo=True,
        weight=3,
    ),
    Cat(
        "open-manhole",
        "road",
        "Открытый люк",
        "Open manhole",
        "Люк колодца открыт, сломан или провалился.",
        "A manhole is open, broken or sunken.",
        "vodokanal",
        2,
        photo=True,
        anonymous=True,
        weight=2,
        attributes=[EMERGENCY_NOTE],
    ),
    Cat(
        "street-lighting",
        "road",
        "Не работает уличное освещение",
        "Street lights not working",
        "Не горят фонари на улице, в сквере или на мосту.",
        "Street, square or bridge lights are out.",
        "lensvet",
        5,
        weight=5,
        attributes=[
            attr("pole", "string", "Номер опоры (если виден)", "Pole number (if visible)"),
            attr("lamps", "number", "Сколько фонарей не горит", "How many lamps are out"),
        ],
    ),
    Cat(
        "traffic-light",
        "road",
        "Не работает светофор",
        "Traffic light not working",
        "Светофор не работает или работает неправильно.",
        "A traffic light is out or misbehaving.",
        "codd",
        2,
        weight=2,
        attributes=[
            attr(
                "kind",
                "singlevaluelist",
                "Какой светофор",
                "Which signal",
                required=True,
                values=_values(
                    ("vehicle", "транспортный", "for vehicles"),
                    ("pedestrian", "пешеходный", "for pedestrians"),
                    ("both", "оба", "both"),
                ),
            ),
            attr("since", "datetime", "С какого времени", "Since when"),
        ],
    ),
    Cat(
        "road-sign",
        "road",
        "Повреждён дорожный знак",
        "Damaged road sign",
        "Дорожный знак повреждён, повёрнут, закрыт ветками или отсутствует.",
        "A road sign is damaged, turned, hidden by branches or missing.",
        "codd",
        5,
        weight=2,
    ),
    Cat(
        "road-markings",
        "road",
        "Стёрлась дорожная разметка",
        "Worn road markings",
        "Разметка на проезжей части или на пешеходном переходе не видна.",
        "Markings on a road or a pedestrian crossing have worn away.",
        "codd",
        19,
        season=SUMMER,
        weight=2,
    ),
    Cat(
        "flooded-road",
        "road",
        "Подтопление проезжей части",
        "Flooded road",
        "Вода стоит на проезжей части, не уходит в ливнёвку.",
        "Water stands on the road and does not drain away.",
        "vodokanal",
        3,
        weight=2,
    ),
    # --- парк и благоустройство ------------------------------------------------------------------
    Cat(
        "dead-tree",
        "park",
        "Сухостойное дерево",
        "Dead tree",
        "Сухое или аварийное дерево, которое может упасть.",
        "A dead or unsafe tree that may fall.",
        "kb",
        19,
        photo=True,
        weight=3,
    ),
    Cat(
        "fallen-tree",
        "park",
        "Упавшее дерево",
        "Fallen tree",
        "Дерево или крупные ветки упали на тротуар, дорогу или газон.",
        "A tree or large branches have fallen on a pavement, a road or a lawn.",
        "kb",
        2,
        weight=2,
    ),
    Cat(
        "park-bench",
        "park",
        "Сломанная скамейка в сквере",
        "Broken bench in a park",
        "Сломана скамейка, урна или ограждение в сквере или саду.",
        "A broken bench, bin or fence in a public garden or square.",
        "kb",
        9,
        weight=2,
    ),
    Cat(
        "park-litter",
        "park",
        "Мусор в сквере или парке",
        "Litter in a park",
        "Мусор на газонах и дорожках сквера, сада, парка.",
        "Litter on the lawns and paths of a park.",
        "kb",
        3,
        anonymous=True,
        weight=3,
    ),
    Cat(
        "lawn-damage",
        "park",
        "Повреждение газона",
        "Damaged lawn",
        "Газон разъезжен машинами или разрушен.",
        "A lawn is rutted by cars or destroyed.",
        "kb",
        19,
        season=WARM,
        photo=True,
        weight=2,
    ),
    Cat(
        "fountain",
        "park",
        "Не работает фонтан",
        "Fountain not working",
        "Городской фонтан выключен или неисправен в летний сезон.",
        "A city fountain is off or broken during the summer season.",
        "kb",
        9,
        season=SUMMER,
        weight=1,
    ),
    # --- транспорт -------------------------------------------------------------------------------
    Cat(
        "bus-stop-damage",
        "transport",
        "Повреждение остановки",
        "Damaged bus stop",
        "Разбито стекло, сломана скамейка или крыша остановочного павильона.",
        "Broken glass, bench or roof of a stop shelter.",
        "orgperevozok",
        9,
        photo=True,
        weight=3,
        attributes=[
            attr("stop", "string", "Название остановки", "Name of the stop"),
            attr(
                "damage",
                "multivaluelist",
                "Что повреждено",
                "What is damaged",
                values=_values(
                    ("glass", "стекло", "glass"),
                    ("roof", "крыша", "roof"),
                    ("bench", "скамейка", "bench"),
                    ("timetable", "расписание", "timetable"),
                    ("lighting", "освещение", "lighting"),
                ),
            ),
        ],
    ),
    Cat(
        "stop-display",
        "transport",
        "Не работает табло на остановке",
        "Stop display not working",
        "Электронное табло прибытия транспорта не работает.",
        "The arrivals display at a stop is out.",
        "orgperevozok",
        5,
        weight=1,
    ),
    Cat(
        "tram-track",
        "transport",
        "Неисправность трамвайных путей",
        "Tram track defect",
        "Разрушено покрытие у трамвайных путей, торчат рельсы или шпалы.",
        "Broken surface around tram tracks; rails or sleepers stick out.",
        "get",
        9,
        weight=1,
    ),
    Cat(
        "transport-schedule",
        "transport",
        "Нарушение интервала движения",
        "Public transport off schedule",
        "Автобус, трамвай или троллейбус долго не приходит или не останавливается.",
        "A bus, tram or trolleybus keeps not coming or does not stop.",
        "komtrans",
        9,
        weight=2,
        attributes=[
            attr(
                "mode",
                "singlevaluelist",
                "Вид транспорта",
                "Mode",
                required=True,
                values=_values(
                    ("bus", "автобус", "bus"),
                    ("tram", "трамвай", "tram"),
                    ("trolleybus", "троллейбус", "trolleybus"),
                ),
            ),
            attr("route", "string", "Номер маршрута", "Route number", required=True),
            attr("waited", "number", "Сколько ждали, минут", "Minutes waited"),
            attr("when", "datetime", "Когда это было", "When it happened"),
        ],
    ),
    # --- торговля и реклама ----------------------------------------------------------------------
    Cat(
        "illegal-ad",
        "trade",
        "Незаконная реклама",
        "Illegal advertising",
        "Объявления, баннеры и надписи, размещённые без разрешения.",
        "Notices, banners and writing put up without a permit.",
        "gati",
        9,
        anonymous=True,
        weight=3,
        attributes=[
            attr(
                "kind",
                "multivaluelist",
                "Что размещено",
                "What is there",
                values=_values(
                    ("banner", "баннер", "banner"),
                    ("poster", "объявления", "notices"),
                    ("sticker", "наклейки", "stickers"),
                    ("painted", "надпись краской", "painted ad"),
                    ("sign", "вывеска", "shop sign"),
                ),
            )
        ],
    ),
    Cat(
        "illegal-trade",
        "trade",
        "Незаконная торговля",
        "Unauthorised street trading",
        "Торговля с рук, с машин или с лотков вне разрешённых мест.",
        "Trading from hands, cars or stalls outside permitted places.",
        "kpr",
        9,
        anonymous=True,
        weight=1,
    ),
    Cat(
        "kiosk",
        "trade",
        "Неопрятный торговый павильон",
        "Untidy kiosk",
        "Павильон или киоск повреждён, грязный, вокруг мусор.",
        "A kiosk or pavilion is damaged or dirty, with litter around.",
        "kpr",
        9,
        weight=1,
    ),
    # --- учреждения ------------------------------------------------------------------------------
    Cat(
        "school-grounds",
        "institution",
        "Неубранная территория школы или детского сада",
        "Untidy school or kindergarten grounds",
        "Мусор, снег или сломанное оборудование на территории школы или детского сада.",
        "Litter, snow or broken equipment on school or kindergarten grounds.",
        "kobr",
        9,
        weight=1,
    ),
    Cat(
        "clinic-access",
        "institution",
        "Нет доступной среды у поликлиники",
        "No step-free access to a clinic",
        "Нет пандуса или поручней, сломана кнопка вызова у поликлиники.",
        "No ramp or handrails, or a broken call button at a clinic.",
        "kzdrav",
        19,
        weight=1,
    ),
    # --- городская территория --------------------------------------------------------------------
    Cat(
        "illegal-dump",
        "territory",
        "Несанкционированная свалка",
        "Illegal dump",
        "Свалка мусора, строительных отходов или шин вне контейнерных площадок.",
        "A dump of rubbish, rubble or tyres away from any bin area.",
        "kpp",
        9,
        photo=True,
        anonymous=True,
        weight=3,
        attributes=[
            attr("volume", "number", "Примерный объём, м³", "Approximate volume, m³"),
            attr(
                "waste",
                "multivaluelist",
                "Что выброшено",
                "What was dumped",
                values=_values(
                    ("household", "бытовой мусор", "household rubbish"),
                    ("construction", "строительный мусор", "building rubble"),
                    ("tyres", "шины", "tyres"),
                    ("furniture", "мебель", "furniture"),
                ),
            ),
            attr("access", "text", "Как подъехать", "How to get there"),
        ],
    ),
    Cat(
        "construction-fence",
        "territory",
        "Повреждено ограждение стройки",
        "Damaged construction fence",
        "Ограждение строительной площадки или раскопки повалено или отсутствует.",
        "The fence around a building site or excavation is down or missing.",
        "gati",
        5,
        weight=1,
    ),
    Cat(
        "embankment",
        "territory",
        "Повреждение набережной",
        "Damaged embankment",
        "Разрушен гранит, ограждение или спуск к воде на набережной.",
        "Broken granite, railings or steps down to the water on an embankment.",
        "mostotrest",
        19,
        weight=1,
    ),
    Cat(
        "heating-main-leak",
        "territory",
        "Прорыв теплосети",
        "Heating main leak",
        "Пар или горячая вода выходит из-под земли или из колодца.",
        "Steam or hot water comes out of the ground or a manhole.",
        "tek",
        2,
        anonymous=True,
        weight=1,
        attributes=[EMERGENCY_NOTE],
    ),
    Cat(
        "water-leak",
        "territory",
        "Утечка воды из-под земли",
        "Water leaking from the ground",
        "Вода течёт из-под асфальта или из колодца.",
        "Water flows from under the asphalt or from a manhole.",
        "vodokanal",
        2,
        weight=1,
    ),
    Cat(
        "stray-shopping-carts",
        "territory",
        "Брошенные тележки и самокаты",
        "Abandoned trolleys and scooters",
        "Брошенные магазинные тележки или прокатные самокаты мешают проходу.",
        "Abandoned shopping trolleys or rental scooters block a footpath.",
        "gati",
        9,
        season=WARM,
        weight=1,
    ),
)


def _days(year: int, *month_days: tuple[int, int]) -> list[dt.date]:
    return [dt.date(year, m, d) for m, d in month_days]


# Non-working days (statutory holidays, and weekdays made days off by the government's transfers) and
# weekend days made working days. 2024–2026 follow the published production calendars; 2027 applies the
# Labour Code's rule (a holiday on a weekend moves to the next weekday) and assumes the two January
# weekend holidays are moved to 7 May and 31 December — correct it when the decree is published.
HOLIDAYS: list[dt.date] = [
    *(dt.date(2024, 1, d) for d in range(1, 9)),
    *_days(
        2024, (2, 23), (3, 8), (4, 29), (4, 30), (5, 1), (5, 9), (5, 10), (6, 12), (11, 4), (12, 30), (12, 31)
    ),
    *(dt.date(2025, 1, d) for d in range(1, 9)),
    *_days(
        2025, (2, 23), (3, 8), (5, 1), (5, 2), (5, 8), (5, 9), (6, 12), (6, 13), (11, 3), (11, 4), (12, 31)
    ),
    *(dt.date(2026, 1, d) for d in range(1, 10)),
    *_days(2026, (2, 23), (3, 8), (3, 9), (5, 1), (5, 9), (5, 11), (6, 12), (11, 4), (12, 31)),
    *(dt.date(2027, 1, d) for d in range(1, 9)),
    *_days(
        2027, (2, 23), (3, 8), (5, 1), (5, 3), (5, 7), (5, 9), (5, 10), (6, 12), (6, 14), (11, 4), (12, 31)
    ),
]
WORKDAYS: list[dt.date] = [
    *_days(2024, (4, 27), (11, 2), (12, 28)),
    *_days(2025, (11, 1)),
]
