"""Geography of the demo city: St Petersburg's 18 districts, a rough outline of the city, and a gazetteer.

Coordinates are approximate (a few hundred metres), typed from general knowledge of the city, never
traced from a map product. Each district has one or more *hubs* — its centre and, for the large suburban
districts, its towns — given as (lat, lon, weight). build_spb.py draws the district polygons as a Voronoi
partition of all hubs clipped to OUTLINE; the report generator spreads reports around the hubs by weight.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DistrictData:
    slug: str
    name: str
    name_en: str
    genitive: str  # "Адмиралтейского" — for "Жилищное агентство Адмиралтейского района"
    population: int
    hubs: tuple[tuple[float, float, float], ...]  # (lat, lon, share of the district's reports)
    # Reports per resident relative to the city average: the centre gets more (tourists, commuters, old
    # housing stock), the suburbs fewer.
    activity: float = 1.0


DISTRICTS: tuple[DistrictData, ...] = (
    DistrictData(
        "admiralteysky",
        "Адмиралтейский",
        "Admiralteysky",
        "Адмиралтейского",
        156_000,
        ((59.928, 30.305, 3), (59.916, 30.300, 3), (59.908, 30.282, 2), (59.914, 30.320, 2)),
        activity=2.0,
    ),
    DistrictData(
        "vasileostrovsky",
        "Василеостровский",
        "Vasileostrovsky",
        "Василеостровского",
        212_000,
        ((59.942, 30.270, 4), (59.949, 30.232, 3), (59.941, 30.292, 2), (59.932, 30.245, 1)),
        activity=1.5,
    ),
    DistrictData(
        "vyborgsky",
        "Выборгский",
        "Vyborgsky",
        "Выборгского",
        535_000,
        (
            (59.975, 30.340, 2),
            (60.015, 30.335, 3),
            (60.048, 30.335, 3),
            (60.068, 30.340, 2),
            (60.080, 30.255, 2),
            (60.102, 30.200, 1),
        ),
    ),
    DistrictData(
        "kalininsky",
        "Калининский",
        "Kalininsky",
        "Калининского",
        540_000,
        ((59.960, 30.370, 2), (59.988, 30.395, 3), (60.010, 30.400, 3), (60.035, 30.415, 3)),
    ),
    DistrictData(
        "kirovsky",
        "Кировский",
        "Kirovsky",
        "Кировского",
        340_000,
        ((59.900, 30.272, 2), (59.878, 30.258, 3), (59.856, 30.255, 3), (59.885, 30.218, 1)),
    ),
    DistrictData(
        "kolpinsky",
        "Колпинский",
        "Kolpinsky",
        "Колпинского",
        200_000,
        ((59.750, 30.590, 5), (59.800, 30.568, 2), (59.783, 30.648, 1)),
        activity=0.8,
    ),
    DistrictData(
        "krasnogvardeysky",
        "Красногвардейский",
        "Krasnogvardeysky",
        "Красногвардейского",
        360_000,
        ((59.935, 30.418, 3), (59.955, 30.452, 3), (59.970, 30.505, 2), (59.990, 30.560, 1)),
    ),
    DistrictData(
        "krasnoselsky",
        "Красносельский",
        "Krasnoselsky",
        "Красносельского",
        420_000,
        ((59.845, 30.200, 3), (59.832, 30.150, 3), (59.790, 30.150, 1), (59.738, 30.088, 2)),
    ),
    DistrictData(
        "kronshtadtsky",
        "Кронштадтский",
        "Kronshtadtsky",
        "Кронштадтского",
        44_000,
        ((59.993, 29.772, 5), (60.015, 29.700, 1)),
        activity=0.8,
    ),
    DistrictData(
        "kurortny",
        "Курортный",
        "Kurortny",
        "Курортного",
        80_000,
        (
            (60.098, 29.962, 4),
            (60.196, 29.704, 3),
            (60.170, 29.870, 1),
            (60.186, 29.805, 1),
            (60.120, 30.160, 1),
            (60.150, 30.010, 1),
        ),
        activity=0.9,
    ),
    DistrictData(
        "moskovsky",
        "Московский",
        "Moskovsky",
        "Московского",
        370_000,
        (
            (59.893, 30.318, 3),
            (59.868, 30.320, 3),
            (59.845, 30.328, 3),
            (59.800, 30.265, 1),
            (59.775, 30.325, 1),
        ),
        activity=1.1,
    ),
    DistrictData(
        "nevsky",
        "Невский",
        "Nevsky",
        "Невского",
        530_000,
        (
            (59.910, 30.470, 3),
            (59.925, 30.490, 2),
            (59.895, 30.420, 2),
            (59.868, 30.455, 3),
            (59.838, 30.492, 2),
        ),
    ),
    DistrictData(
        "petrogradsky",
        "Петроградский",
        "Petrogradsky",
        "Петроградского",
        125_000,
        ((59.963, 30.302, 4), (59.954, 30.320, 2), (59.968, 30.275, 2), (59.973, 30.235, 1)),
        activity=1.8,
    ),
    DistrictData(
        "petrodvortsovy",
        "Петродворцовый",
        "Petrodvortsovy",
        "Петродворцового",
        150_000,
        ((59.880, 29.905, 4), (59.912, 29.772, 3), (59.852, 30.040, 2)),
        activity=0.9,
    ),
    DistrictData(
        "primorsky",
        "Приморский",
        "Primorsky",
        "Приморского",
        620_000,
        (
            (59.990, 30.262, 3),
            (60.004, 30.292, 2),
            (60.010, 30.240, 3),
            (60.032, 30.225, 2),
            (59.996, 30.160, 1),
            (60.018, 30.020, 1),
            (60.055, 30.140, 1),
        ),
    ),
    DistrictData(
        "pushkinsky",
        "Пушкинский",
        "Pushkinsky",
        "Пушкинского",
        230_000,
        ((59.720, 30.408, 4), (59.686, 30.440, 2), (59.800, 30.390, 2), (59.760, 30.375, 1)),
        activity=0.9,
    ),
    DistrictData(
        "frunzensky",
        "Фрунзенский",
        "Frunzensky",
        "Фрунзенского",
        400_000,
        ((59.893, 30.368, 2), (59.866, 30.385, 3), (59.835, 30.388, 3)),
    ),
    DistrictData(
        "tsentralny",
        "Центральный",
        "Tsentralny (Central)",
        "Центрального",
        210_000,
        (
            (59.937, 30.330, 4),
            (59.941, 30.362, 3),
            (59.928, 30.358, 3),
            (59.918, 30.350, 2),
            (59.946, 30.388, 1),
        ),
        activity=2.4,
    ),
)

# A rough outline of the city's land as (lon, lat), clockwise from the north-west: the northern and
# eastern borders, the southern border, then back along the coast of the Neva bay. Kotlin island
# (Kronstadt) is a second polygon. The districts are cut from these; the bay itself is left out so that
# the map shows the city's shape even without a tile server.
OUTLINE: tuple[tuple[float, float], ...] = (
    (29.52, 60.183),
    (29.52, 60.222),
    (29.65, 60.245),
    (29.85, 60.245),
    (30.00, 60.215),
    (30.12, 60.190),
    (30.20, 60.140),
    (30.26, 60.120),
    (30.35, 60.100),
    (30.38, 60.080),
    (30.43, 60.062),
    (30.45, 60.035),
    (30.52, 60.012),
    (30.60, 60.000),
    (30.61, 59.960),
    (30.53, 59.930),
    (30.52, 59.895),
    (30.56, 59.852),
    (30.66, 59.822),
    (30.74, 59.800),
    (30.74, 59.760),
    (30.66, 59.720),
    (30.58, 59.708),
    (30.50, 59.688),
    (30.47, 59.650),
    (30.38, 59.640),
    (30.33, 59.668),
    (30.28, 59.700),
    (30.18, 59.702),
    (30.08, 59.690),
    (30.00, 59.722),
    (29.95, 59.790),
    (29.85, 59.832),
    (29.75, 59.860),
    (29.66, 59.880),
    # the southern shore, eastwards: Lomonosov, Peterhof, Strelna, the sea port
    (29.66, 59.915),
    (29.72, 59.921),
    (29.77, 59.918),
    (29.83, 59.905),
    (29.91, 59.887),
    (29.98, 59.872),
    (30.05, 59.860),
    (30.10, 59.856),
    (30.17, 59.862),
    (30.205, 59.878),
    (30.210, 59.900),
    # Vasilyevsky and Krestovsky islands, then the northern shore westwards: Lakhta, Lisy Nos, Sestroretsk
    (30.215, 59.925),
    (30.195, 59.945),
    (30.205, 59.958),
    (30.215, 59.970),
    (30.17, 59.984),
    (30.10, 59.993),
    (30.01, 60.005),
    (29.98, 60.060),
    (29.94, 60.100),
    (29.93, 60.118),
    (29.92, 60.148),
    (29.86, 60.168),
    (29.80, 60.180),
    (29.70, 60.192),
    (29.60, 60.188),
    (29.52, 60.183),
)
KOTLIN: tuple[tuple[float, float], ...] = (
    (29.64, 60.033),
    (29.70, 60.035),
    (29.76, 60.020),
    (29.81, 60.005),
    (29.80, 59.990),
    (29.77, 59.983),
    (29.72, 59.995),
    (29.66, 60.015),
    (29.64, 60.033),
)


@dataclass(frozen=True)
class PlaceData:
    name: str
    name_en: str
    lat: float
    lon: float
    street: bool = False  # a street takes a house number in generated addresses: "Невский проспект, 28"


def _street(name: str, name_en: str, lat: float, lon: float) -> PlaceData:
    return PlaceData(name, name_en, lat, lon, street=True)


PLACES: tuple[PlaceData, ...] = (
    # Центральный
    _street("Невский проспект", "Nevsky Prospekt", 59.9340, 30.3350),
    PlaceData("Дворцовая площадь", "Palace Square", 59.9390, 30.3158),
    _street("Литейный проспект", "Liteyny Prospekt", 59.9400, 30.3480),
    PlaceData("Площадь Восстания", "Vosstaniya Square", 59.9313, 30.3606),
    _street("Суворовский проспект", "Suvorovsky Prospekt", 59.9380, 30.3750),
    _street("Улица Марата", "Marata Street", 59.9250, 30.3530),
    PlaceData("Владимирская площадь", "Vladimirskaya Square", 59.9275, 30.3480),
    PlaceData("Смольный", "Smolny", 59.9464, 30.3964),
    PlaceData("Марсово поле", "Field of Mars", 59.9437, 30.3317),
    _street("Лиговский проспект", "Ligovsky Prospekt", 59.9220, 30.3570),
    # Адмиралтейский
    PlaceData("Сенная площадь", "Sennaya Square", 59.9270, 30.3200),
    PlaceData("Исаакиевская площадь", "St Isaac's Square", 59.9320, 30.3080),
    PlaceData("Театральная площадь", "Teatralnaya Square", 59.9257, 30.2960),
    _street("Садовая улица", "Sadovaya Street", 59.9240, 30.3100),
    _street("Измайловский проспект", "Izmailovsky Prospekt", 59.9130, 30.3070),
    PlaceData("Технологический институт (метро)", "Tekhnologichesky Institut (metro)", 59.9165, 30.3185),
    _street("Лермонтовский проспект", "Lermontovsky Prospekt", 59.9150, 30.2930),
    PlaceData("Балтийский вокзал", "Baltiysky railway station", 59.9070, 30.2990),
    # Василеостровский
    _street("Большой проспект В.О.", "Bolshoy Prospekt V.O.", 59.9390, 30.2700),
    PlaceData("Стрелка Васильевского острова", "Spit of Vasilyevsky Island", 59.9440, 30.3050),
    _street("Средний проспект В.О.", "Sredny Prospekt V.O.", 59.9420, 30.2650),
    PlaceData("Василеостровская (метро)", "Vasileostrovskaya (metro)", 59.9425, 30.2785),
    _street("Морская набережная", "Morskaya Embankment", 59.9500, 30.2230),
    PlaceData("Приморская (метро)", "Primorskaya (metro)", 59.9485, 30.2345),
    # Петроградский
    _street("Каменноостровский проспект", "Kamennoostrovsky Prospekt", 59.9650, 30.3110),
    _street("Большой проспект П.С.", "Bolshoy Prospekt P.S.", 59.9610, 30.2960),
    PlaceData("Петропавловская крепость", "Peter and Paul Fortress", 59.9500, 30.3170),
    PlaceData("Горьковская (метро)", "Gorkovskaya (metro)", 59.9560, 30.3190),
    PlaceData("Крестовский остров", "Krestovsky Island", 59.9720, 30.2600),
    PlaceData("Чкаловская (метро)", "Chkalovskaya (metro)", 59.9610, 30.2920),
    # Выборгский
    _street("Большой Сампсониевский проспект", "Bolshoy Sampsonievsky Prospekt", 59.9770, 30.3420),
    _street("Проспект Энгельса", "Engelsa Prospekt", 60.0300, 30.3240),
    PlaceData("Проспект Просвещения (метро)", "Prospekt Prosveshcheniya (metro)", 60.0515, 30.3325),
    PlaceData("Озерки (метро)", "Ozerki (metro)", 60.0370, 30.3220),
    PlaceData("Парнас (метро)", "Parnas (metro)", 60.0670, 30.3340),
    PlaceData("Удельный парк", "Udelny Park", 60.0150, 30.3090),
    PlaceData("Парголово", "Pargolovo", 60.0780, 30.2550),
    PlaceData("Парк Сосновка", "Sosnovka Park", 60.0200, 30.3500),
    # Калининский
    PlaceData("Площадь Ленина", "Lenin Square", 59.9560, 30.3560),
    PlaceData("Площадь Мужества", "Muzhestva Square", 59.9990, 30.3660),
    _street("Гражданский проспект", "Grazhdansky Prospekt", 60.0300, 30.4080),
    _street("Пискарёвский проспект", "Piskaryovsky Prospekt", 59.9850, 30.4200),
    PlaceData("Академическая (метро)", "Akademicheskaya (metro)", 60.0125, 30.3960),
    PlaceData("Политехническая (метро)", "Politekhnicheskaya (metro)", 60.0090, 30.3710),
    # Красногвардейский
    PlaceData("Новочеркасская (метро)", "Novocherkasskaya (metro)", 59.9290, 30.4120),
    _street("Заневский проспект", "Zanevsky Prospekt", 59.9310, 30.4350),
    PlaceData("Ладожский вокзал", "Ladozhsky railway station", 59.9320, 30.4420),
    _street("Шоссе Революции", "Revolyutsii Highway", 59.9600, 30.4500),
    PlaceData("Большая Охта", "Bolshaya Okhta", 59.9450, 30.4150),
    # Невский
    PlaceData("Проспект Большевиков (метро)", "Prospekt Bolshevikov (metro)", 59.9195, 30.4665),
    PlaceData("Улица Дыбенко (метро)", "Ulitsa Dybenko (metro)", 59.9070, 30.4830),
    PlaceData("Ломоносовская (метро)", "Lomonosovskaya (metro)", 59.8775, 30.4415),
    PlaceData("Елизаровская (метро)", "Yelizarovskaya (metro)", 59.8967, 30.4235),
    PlaceData("Рыбацкое", "Rybatskoye", 59.8310, 30.5010),
    _street("Проспект Обуховской Обороны", "Obukhovskoy Oborony Prospekt", 59.8900, 30.4300),
    # Фрунзенский
    PlaceData("Купчино (метро)", "Kupchino (metro)", 59.8300, 30.3750),
    _street("Бухарестская улица", "Bukharestskaya Street", 59.8650, 30.3850),
    PlaceData("Волковская (метро)", "Volkovskaya (metro)", 59.8960, 30.3580),
    PlaceData("Международная (метро)", "Mezhdunarodnaya (metro)", 59.8700, 30.3790),
    _street("Проспект Славы", "Slavy Prospekt", 59.8560, 30.3880),
    # Московский
    _street("Московский проспект", "Moskovsky Prospekt", 59.8800, 30.3190),
    PlaceData("Парк Победы (метро)", "Park Pobedy (metro)", 59.8665, 30.3215),
    PlaceData("Московская площадь", "Moskovskaya Square", 59.8515, 30.3215),
    PlaceData("Московские ворота", "Moscow Triumphal Gate", 59.8918, 30.3175),
    PlaceData("Аэропорт Пулково", "Pulkovo Airport", 59.8000, 30.2650),
    PlaceData("Звёздная (метро)", "Zvyozdnaya (metro)", 59.8330, 30.3490),
    # Кировский
    PlaceData("Нарвская площадь", "Narvskaya Square", 59.9010, 30.2740),
    _street("Проспект Стачек", "Stachek Prospekt", 59.8800, 30.2620),
    PlaceData("Автово (метро)", "Avtovo (metro)", 59.8673, 30.2613),
    PlaceData("Ленинский проспект (метро)", "Leninsky Prospekt (metro)", 59.8512, 30.2683),
    # Красносельский
    _street("Улица Маршала Казакова", "Marshala Kazakova Street", 59.8540, 30.2040),
    PlaceData("Красное Село", "Krasnoye Selo", 59.7390, 30.0870),
    PlaceData("Лигово", "Ligovo", 59.8320, 30.2080),
    PlaceData("Сосновая Поляна", "Sosnovaya Polyana", 59.8330, 30.1430),
    PlaceData("Горелово", "Gorelovo", 59.7750, 30.1390),
    # Петродворцовый
    PlaceData("Петергоф", "Peterhof", 59.8790, 29.9080),
    PlaceData("Нижний парк Петергофа", "Peterhof Lower Park", 59.8860, 29.9080),
    PlaceData("Ломоносов", "Lomonosov", 59.9110, 29.7720),
    PlaceData("Стрельна", "Strelna", 59.8540, 30.0380),
    # Кронштадтский
    PlaceData("Якорная площадь (Кронштадт)", "Anchor Square (Kronstadt)", 59.9920, 29.7775),
    _street("Проспект Ленина (Кронштадт)", "Lenina Prospekt (Kronstadt)", 59.9960, 29.7700),
    # Курортный
    PlaceData("Сестрорецк", "Sestroretsk", 60.0980, 29.9630),
    PlaceData("Зеленогорск", "Zelenogorsk", 60.1960, 29.7040),
    PlaceData("Репино", "Repino", 60.1710, 29.8700),
    PlaceData("Песочный", "Pesochny", 60.1200, 30.1600),
    PlaceData("Комарово", "Komarovo", 60.1870, 29.8080),
    # Приморский
    _street("Комендантский проспект", "Komendantsky Prospekt", 60.0080, 30.2580),
    PlaceData("Лахта-центр", "Lakhta Centre", 59.9870, 30.1770),
    PlaceData("Старая Деревня (метро)", "Staraya Derevnya (metro)", 59.9895, 30.2555),
    _street("Улица Савушкина", "Savushkina Street", 59.9890, 30.2350),
    PlaceData("Пионерская (метро)", "Pionerskaya (metro)", 60.0025, 30.2965),
    _street("Проспект Испытателей", "Ispytateley Prospekt", 60.0030, 30.2700),
    PlaceData("Ольгино", "Olgino", 59.9980, 30.1250),
    # Колпинский
    _street("Проспект Ленина (Колпино)", "Lenina Prospekt (Kolpino)", 59.7500, 30.5880),
    PlaceData("Металлострой", "Metallostroy", 59.8000, 30.5700),
    PlaceData("Понтонный", "Pontonny", 59.7850, 30.6350),
    # Пушкинский
    PlaceData("Екатерининский парк (Пушкин)", "Catherine Park (Pushkin)", 59.7160, 30.3960),
    _street("Октябрьский бульвар (Пушкин)", "Oktyabrsky Boulevard (Pushkin)", 59.7190, 30.4080),
    PlaceData("Павловск", "Pavlovsk", 59.6850, 30.4400),
    PlaceData("Шушары", "Shushary", 59.8020, 30.3850),
)
