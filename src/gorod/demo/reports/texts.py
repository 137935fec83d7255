"""Templates for the demo reports' texts, in Russian and English: what a resident writes, and what the
moderator and the executor answer. Written for Gorod; any likeness to a real report is by construction
("Яма у дома 5" is what everyone writes)."""

from __future__ import annotations

import random

# service code → (Russian sentences, English sentences) describing the problem itself.
PROBLEMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "yard-pothole": (
        (
            "Во дворе большая яма на проезде, машины объезжают по газону.",
            "Глубокая выбоина на дорожке во дворе.",
            "После зимы во дворе образовалась яма, в ней всё время стоит вода.",
        ),
        (
            "There is a big pothole on the driveway in our yard.",
            "A deep hole on the footpath inside the yard.",
        ),
    ),
    "yard-snow": (
        (
            "Двор не чистят от снега уже несколько дней.",
            "Снег во дворе не убран, не пройти к парадной.",
            "Проезд во дворе завален снегом, машины застревают.",
        ),
        (
            "The yard has not been cleared of snow for days.",
            "Snow in the yard makes it impossible to reach the door.",
        ),
    ),
    "yard-ice": (
        ("Во дворе сплошной лёд, ничем не посыпано.", "Дорожки во дворе покрыты наледью, люди падают."),
        ("The whole yard is icy and nothing has been gritted.", "The paths in the yard are covered in ice."),
    ),
    "yard-litter": (
        ("Во дворе валяется мусор, его не убирают.", "На газоне во дворе мешки с мусором и старые ветки."),
        (
            "Litter lies around the yard and nobody cleans it.",
            "Bags of rubbish and old branches on the yard lawn.",
        ),
    ),
    "yard-bins": (
        ("Контейнеры переполнены, мусор не вывозят третий день.", "Вокруг мусорной площадки горы пакетов."),
        (
            "The bins are overflowing; rubbish has not been collected for three days.",
            "Piles of bags around the bin area.",
        ),
    ),
    "yard-playground": (
        (
            "На детской площадке сломаны качели, торчат болты.",
            "Горка на площадке треснула, дети могут пораниться.",
        ),
        (
            "The swings on the playground are broken and bolts stick out.",
            "The slide on the playground is cracked; children may get hurt.",
        ),
    ),
    "yard-lighting": (
        ("Во дворе не горят фонари, вечером темно.", "Не работает лампа над входом в парадную."),
        (
            "The lamps in the yard are out; it is pitch dark in the evening.",
            "The lamp above the entrance is out.",
        ),
    ),
    "yard-abandoned-car": (
        (
            "Во дворе давно стоит брошенная машина без колёс.",
            "Разбитый автомобиль занимает место во дворе больше года.",
        ),
        (
            "An abandoned car without wheels has stood in the yard for months.",
            "A wrecked car has taken a space in the yard for over a year.",
        ),
    ),
    "yard-grass": (
        ("Траву на газонах во дворе не косили всё лето.", "Газон во дворе зарос высокой травой."),
        ("The grass in the yard has not been cut all summer.", "The lawn in the yard is overgrown."),
    ),
    "roof-icicles": (
        (
            "С крыши над тротуаром свисают огромные сосульки.",
            "Над входом в магазин опасные сосульки.",
            "Сосульки на водостоке, под ними ходят люди.",
        ),
        ("Huge icicles hang from the roof above the pavement.", "Dangerous icicles over a shop entrance."),
    ),
    "roof-snow": (
        ("Крышу дома не чистят, снег лежит толстым слоем.", "На крыше скопился снег, течёт по стенам."),
        (
            "The roof has not been cleared; a thick layer of snow lies on it.",
            "Snow has piled up on the roof.",
        ),
    ),
    "roof-leak": (
        (
            "Протекает крыша, вода льётся в квартиру на последнем этаже.",
            "После дождя на лестнице лужи — течёт кровля.",
        ),
        (
            "The roof leaks and water pours into a top-floor flat.",
            "After rain there are puddles on the stairs.",
        ),
    ),
    "facade-damage": (
        (
            "С фасада отваливается штукатурка прямо на тротуар.",
            "Разрушается балкон, куски бетона падают вниз.",
        ),
        (
            "Plaster is falling off the facade onto the pavement.",
            "A balcony is crumbling and bits of concrete fall.",
        ),
    ),
    "facade-graffiti": (
        ("Фасад дома изрисован граффити.", "На стене дома появились надписи краской."),
        ("The facade is covered in graffiti.", "Someone has sprayed writing on the wall of the building."),
    ),
    "entrance-dirty": (
        ("В парадной не убирают, грязь и запах.", "Лестницу не мыли уже месяц."),
        ("The staircase is never cleaned; dirt and smell.", "The stairs have not been washed for a month."),
    ),
    "entrance-door": (
        ("Дверь в парадную не закрывается, сломан доводчик.", "Не работает домофон, дверь открыта настежь."),
        (
            "The front door does not close; the closer is broken.",
            "The intercom is dead and the door stays open.",
        ),
    ),
    "drainpipe": (
        (
            "Водосточная труба оторвана и висит над тротуаром.",
            "Нет нижнего колена водосточной трубы, вода льёт на ноги.",
        ),
        (
            "A drainpipe has come loose and hangs over the pavement.",
            "The bottom of the drainpipe is missing.",
        ),
    ),
    "basement-flooding": (
        ("Подвал затоплен, в парадной сырость и комары.", "В подвале стоит вода уже неделю."),
        (
            "The basement is flooded; damp and mosquitoes in the stairwell.",
            "Water has stood in the basement for a week.",
        ),
    ),
    "elevator": (
        ("Лифт не работает уже третий день.", "Лифт постоянно останавливается между этажами."),
        ("The lift has been out of order for three days.", "The lift keeps stopping between floors."),
    ),
    "heating-outage": (
        ("В квартире холодные батареи.", "Отопление в доме так и не включили."),
        ("The radiators in the flat are cold.", "The heating in the building has not been switched on."),
    ),
    "road-pothole": (
        (
            "На проезжей части глубокая яма, машины бьют колёса.",
            "Выбоина на дороге у перехода, её не видно в темноте.",
            "Асфальт провалился на полосе, ямы по всей ширине.",
        ),
        (
            "A deep pothole on the road damages car wheels.",
            "A pothole near the crossing, invisible in the dark.",
        ),
    ),
    "road-graffiti": (
        ("На асфальте краской нарисована реклама.", "На тротуаре надписи краской с номерами телефонов."),
        ("Adverts have been painted on the asphalt.", "Phone numbers are painted on the pavement."),
    ),
    "road-snow": (
        ("Улицу не чистят, на проезжей части снежная каша.", "Снежный накат на дороге, автобусы буксуют."),
        ("The street has not been ploughed; slush covers the road.", "Packed snow on the road; buses skid."),
    ),
    "sidewalk-ice": (
        ("Тротуар покрыт льдом, не посыпан.", "Очень скользко на тротуаре, люди падают."),
        ("The pavement is icy and not gritted.", "Very slippery pavement; people keep falling."),
    ),
    "sidewalk-damage": (
        ("Разрушен тротуар, плитка вывернута.", "Бордюр разбит, на тротуаре ямы."),
        (
            "The pavement is broken and the paving stones are loose.",
            "The kerb is smashed and the pavement is holed.",
        ),
    ),
    "open-manhole": (
        ("Открытый люк прямо на тротуаре!", "Крышка люка провалилась, можно упасть."),
        ("An open manhole right on the pavement!", "The manhole cover has sunk; someone could fall in."),
    ),
    "street-lighting": (
        ("Не горят фонари вдоль улицы.", "Темно на перекрёстке — не работает освещение."),
        ("The street lights along the road are out.", "The junction is dark; the lighting is not working."),
    ),
    "traffic-light": (
        ("Светофор на перекрёстке не работает.", "Пешеходный светофор всё время горит красным."),
        ("The traffic light at the junction is out.", "The pedestrian light stays red all the time."),
    ),
    "road-sign": (
        ("Знак «Пешеходный переход» повёрнут и не виден.", "Дорожный знак сбит и лежит на газоне."),
        ("The pedestrian crossing sign is turned away.", "A road sign has been knocked down onto the lawn."),
    ),
    "road-markings": (
        ("Стёрлась разметка на пешеходном переходе.", "Разметки на дороге совсем не видно."),
        ("The zebra markings have worn away.", "The lane markings are no longer visible."),
    ),
    "flooded-road": (
        ("После дождя дорогу заливает, вода не уходит.", "Огромная лужа на проезжей части, ливнёвка забита."),
        ("The road floods after rain and the water does not drain.", "A huge puddle; the drain is blocked."),
    ),
    "dead-tree": (
        ("Сухое дерево может упасть на детскую площадку.", "Дерево засохло и наклонилось над дорогой."),
        ("A dead tree could fall onto the playground.", "A dried-out tree leans over the road."),
    ),
    "fallen-tree": (
        ("Упало дерево и перегородило тротуар.", "Ветром сломало большую ветку, она лежит на дорожке."),
        ("A fallen tree blocks the pavement.", "The wind broke a big branch that now lies on the path."),
    ),
    "park-bench": (
        ("В сквере сломана скамейка.", "Урна в сквере опрокинута и сломана."),
        ("A bench in the square is broken.", "A bin in the park is knocked over and broken."),
    ),
    "park-litter": (
        ("В сквере много мусора после выходных.", "Дорожки в парке не убирают."),
        ("Lots of litter in the park after the weekend.", "The park paths are not being cleaned."),
    ),
    "lawn-damage": (
        ("Газон разъезжен машинами, сплошная грязь.", "На газоне паркуются, травы не осталось."),
        ("Cars have churned the lawn into mud.", "People park on the lawn; there is no grass left."),
    ),
    "fountain": (
        ("Фонтан в сквере не работает всё лето.", "Фонтан выключен, чаша заполнена мусором."),
        ("The fountain has not worked all summer.", "The fountain is off and its basin is full of litter."),
    ),
    "bus-stop-damage": (
        ("На остановке разбито стекло павильона.", "Сломана скамейка на остановке, нет расписания."),
        (
            "The glass of the stop shelter is smashed.",
            "The bench at the stop is broken and there is no timetable.",
        ),
    ),
    "stop-display": (
        (
            "Не работает электронное табло на остановке.",
            "Табло прибытия транспорта показывает неверное время.",
        ),
        ("The arrivals display at the stop is dead.", "The display at the stop shows wrong times."),
    ),
    "tram-track": (
        ("Вокруг трамвайных путей разрушен асфальт.", "Рельс выступает над дорогой, опасно для машин."),
        ("The asphalt around the tram tracks is broken.", "A rail sticks out above the road surface."),
    ),
    "transport-schedule": (
        ("Автобус не приходит по полчаса.", "Трамвай прошёл мимо остановки не останавливаясь."),
        ("The bus does not come for half an hour.", "The tram went past the stop without stopping."),
    ),
    "illegal-ad": (
        ("Стены обклеены объявлениями.", "Незаконный баннер на фасаде."),
        ("The walls are covered in illegal notices.", "An unauthorised banner on the facade."),
    ),
    "illegal-trade": (
        ("У метро торгуют с рук и с ящиков.", "Торговля с машины на тротуаре."),
        ("People trade from boxes at the metro exit.", "Someone sells goods from a car on the pavement."),
    ),
    "kiosk": (
        ("Ларёк в ужасном состоянии, вокруг мусор.", "Павильон разбит, стёкла заклеены."),
        ("The kiosk is a mess with litter all around.", "The pavilion is smashed and the glass taped over."),
    ),
    "school-grounds": (
        ("Территория школы не убрана.", "У детского сада сломано ограждение."),
        ("The school grounds are not cleaned.", "The kindergarten fence is broken."),
    ),
    "clinic-access": (
        (
            "У поликлиники нет пандуса, с коляской не попасть.",
            "Не работает кнопка вызова у входа в поликлинику.",
        ),
        (
            "No ramp at the clinic; impossible to enter with a pram.",
            "The call button at the clinic door is broken.",
        ),
    ),
    "illegal-dump": (
        ("Свалка строительного мусора на пустыре.", "Кто-то вывалил шины и старую мебель у дороги."),
        (
            "A dump of building rubble on the wasteland.",
            "Someone dumped tyres and old furniture by the road.",
        ),
    ),
    "construction-fence": (
        ("Ограждение стройки повалено, яма не огорожена.", "Нет ограждения вокруг раскопки."),
        ("The building site fence is down and the pit is open.", "No fence around the excavation."),
    ),
    "embankment": (
        ("Выпал гранитный блок из набережной.", "Сломано ограждение на набережной."),
        ("A granite block has fallen out of the embankment.", "The embankment railing is broken."),
    ),
    "heating-main-leak": (
        ("Из-под земли идёт пар, течёт горячая вода.", "Из люка валит пар уже второй день."),
        (
            "Steam and hot water come out of the ground.",
            "Steam has been pouring out of a manhole for two days.",
        ),
    ),
    "water-leak": (
        ("Из-под асфальта бьёт вода.", "Течёт вода из колодца на дорогу."),
        ("Water gushes from under the asphalt.", "Water flows from a manhole onto the road."),
    ),
    "stray-shopping-carts": (
        ("Прокатные самокаты брошены посреди тротуара.", "Магазинные тележки брошены во дворе."),
        (
            "Rental scooters are dumped in the middle of the pavement.",
            "Shopping trolleys are abandoned in the yard.",
        ),
    ),
}

WHERE_RU = (
    "у дома {n}",
    "возле дома {n}",
    "напротив дома {n}",
    "у парадной {k}",
    "рядом с остановкой",
    "у перехода",
    "во дворе дома {n}",
    "около магазина",
    "у школы",
    "",
)
WHERE_EN = (
    "by number {n}",
    "outside number {n}",
    "opposite number {n}",
    "at entrance {k}",
    "near the stop",
    "at the crossing",
    "in the yard of number {n}",
    "next to the shop",
    "near the school",
    "",
)
OPENINGS_RU = ("", "", "Здравствуйте!", "Добрый день.", "Уважаемые коллеги!", "Прошу обратить внимание.")
OPENINGS_EN = ("", "", "Hello.", "Good afternoon.", "Please look into this.")
CLOSINGS_RU = (
    "",
    "Прошу устранить.",
    "Просьба принять меры.",
    "Опасно для детей и пожилых.",
    "Жители жалуются уже давно.",
    "Прошу проверить и исправить как можно скорее.",
    "Спасибо.",
)
CLOSINGS_EN = (
    "",
    "Please fix it.",
    "Please take action.",
    "It is dangerous for children and the elderly.",
    "Residents have complained for a long time.",
    "Thank you.",
)

REJECT_REASONS = (
    (
        "Недостаточно сведений, чтобы определить место. Уточните адрес и отправьте сообщение заново.",
        "Not enough detail to find the place. Please give the address and report again.",
    ),
    ("Фотография не соответствует описанию проблемы.", "The photo does not match the description."),
    (
        "Вопрос не относится к классификатору портала; обратитесь в администрацию района.",
        "This is outside the portal's classifier; please contact the district administration.",
    ),
    ("Сообщение содержит некорректные высказывания.", "The message contains abusive language."),
    ("Территория не относится к городской собственности.", "The site is not city property."),
)
RESOLVE_NOTES = (
    ("Работы выполнены.", "The work has been done."),
    (
        "Проблема устранена, территория приведена в порядок.",
        "The problem has been fixed and the site tidied.",
    ),
    ("Выполнен ремонт. Фотоотчёт приложен.", "Repaired; photos of the result are attached."),
    (
        "Силами подрядной организации работы выполнены в полном объёме.",
        "The contractor has completed the work.",
    ),
    ("Работы включены в план и выполнены.", "The work was scheduled and has been carried out."),
)
DISPUTE_NOTES = (
    ("Ничего не сделано, проблема осталась.", "Nothing has been done; the problem is still there."),
    ("Сделали только частично.", "Only part of it was fixed."),
    ("Через два дня всё вернулось как было.", "Two days later it was back as before."),
)
TRANSFER_NOTES = (
    (
        "Объект на балансе другой организации, сообщение передано.",
        "The site belongs to another body; passed on.",
    ),
    ("Передано по компетенции.", "Forwarded to the responsible body."),
)
FIRST_NAMES_M = (
    "Иван",
    "Алексей",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Михаил",
    "Павел",
    "Николай",
    "Егор",
    "Олег",
)
FIRST_NAMES_F = (
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Дарья",
    "Юлия",
)
SURNAMES = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Лебедев",
    "Козлов",
    "Егоров",
    "Павлов",
    "Семёнов",
    "Голубев",
)
EN_NAMES = (
    "John Smith",
    "Emma Brown",
    "Liam Wilson",
    "Olivia Taylor",
    "Noah Davies",
    "Ava Evans",
    "Lucas Meyer",
    "Sofia Rossi",
    "Mateo Garcia",
    "Mia Schneider",
)
TRANSLIT = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sch",
        "ы": "y",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "ь": "",
        "ъ": "",
    }
)


def description(rng: random.Random, code: str, fallback: tuple[str, str], english: bool) -> str:
    """A resident's text: an optional greeting, the problem, where exactly, an optional plea."""
    ru, en = PROBLEMS.get(code, ((fallback[0] + ".",), (fallback[1] + ".",)))
    problem = rng.choice(en if english else ru)
    where = rng.choice(WHERE_EN if english else WHERE_RU).format(n=rng.randint(1, 120), k=rng.randint(1, 8))
    if where:
        where = (" The spot: " + where + ".") if english else (" Место: " + where + ".")
    opening = rng.choice(OPENINGS_EN if english else OPENINGS_RU)
    closing = rng.choice(CLOSINGS_EN if english else CLOSINGS_RU)
    return " ".join(part for part in (opening, problem + where, closing) if part)


def person(rng: random.Random, english: bool) -> tuple[str, str]:
    """A fake name and an e-mail at example.org (reserved for examples, never delivered)."""
    if english:
        name = rng.choice(EN_NAMES)
        login = name.lower().replace(" ", ".")
    else:
        female = rng.random() < 0.5
        first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
        surname = rng.choice(SURNAMES) + ("а" if female else "")
        name = f"{first} {surname}"
        login = f"{first}.{surname}".lower().translate(TRANSLIT)
    return name, f"{login}{rng.randint(1, 999)}@example.org"


def pick(rng: random.Random, pairs: tuple[tuple[str, str], ...], english: bool) -> str:
    ru, en = rng.choice(pairs)
    return en if english else ru
