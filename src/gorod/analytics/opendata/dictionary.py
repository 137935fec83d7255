# ruff: noqa: E501  (the dictionary is a table: one field a line reads best)
"""What each dataset holds: its fields with type and meaning in Russian and English (the data dictionary
shown on /data/ and in docs/open-data.md). Changing a field here is changing a published interface."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    type: str  # integer | number | string | date | datetime | boolean
    ru: str
    en: str


@dataclasses.dataclass(frozen=True)
class Dataset:
    name: str
    title_ru: str
    title_en: str
    about_ru: str
    about_en: str
    formats: tuple[str, ...]
    fields: tuple[Field, ...]

    def title(self, language: str) -> str:
        return self.title_ru if language == "ru" else self.title_en

    def about(self, language: str) -> str:
        return self.about_ru if language == "ru" else self.about_en


REPORTS = Dataset(
    name="reports",
    title_ru="Сообщения о проблемах",
    title_en="Problem reports",
    about_ru=(
        "Все публичные сообщения жителей без персональных данных: без имён, адресов электронной почты, "
        "телефонов, текста описания и адреса. Отклонённые и ещё не проверенные анонимные сообщения не "
        "включаются. Место анонимного сообщения — центр его шестиугольника H3 разрешения 9 (~170 м)."
    ),
    about_en=(
        "Every public report, without personal data: no names, e-mail addresses, phones, description or "
        "address text. Rejected reports and anonymous ones not yet moderated are left out. An anonymous "
        "report's place is the centre of its H3 resolution-9 hexagon (~170 m across)."
    ),
    formats=("csv", "geojson"),
    fields=(
        Field("id", "integer", "номер сообщения (как на сайте и в Open311)", "report number (as on the site and in Open311)"),
        Field("service_code", "string", "код категории (Open311)", "category code (Open311 service_code)"),
        Field("category", "string", "название категории", "category name"),
        Field("district", "string", "код района", "district code (slug)"),
        Field("department", "string", "код ответственного ведомства", "code (slug) of the responsible department"),
        Field("status", "string", "статус: submitted, accepted, in_progress, resolved, confirmed, disputed, reopened, duplicate", "status: submitted, accepted, in_progress, resolved, confirmed, disputed, reopened, duplicate"),
        Field("created", "datetime", "когда подано (UTC, ISO 8601)", "when filed (UTC, ISO 8601)"),
        Field("closed", "datetime", "когда закрыто (UTC), пусто если открыто", "when closed (UTC), empty while open"),
        Field("deadline", "date", "срок исполнения", "executor's deadline"),
        Field("lat", "number", "широта (WGS 84)", "latitude (WGS 84)"),
        Field("lon", "number", "долгота (WGS 84)", "longitude (WGS 84)"),
        Field("location_precision", "string", "exact — точка, h3-9 — центр ячейки H3 (анонимные)", "exact — the point; h3-9 — the centre of the H3 cell (anonymous reports)"),
        Field("h3_cell", "string", "ячейка H3 разрешения 9", "H3 cell of resolution 9"),
    ),
)  # fmt: skip

PERFORMANCE = Dataset(
    name="performance",
    title_ru="Работа ведомств и районов за год",
    title_en="Department and district performance over a year",
    about_ru="Показатели страницы /performance/ за последние 365 дней, по ведомствам и по районам.",
    about_en="The figures of /performance/ for the last 365 days, by department and by district.",
    formats=("csv", "json"),
    fields=(
        Field("group", "string", "department — ведомство, district — район", "department or district"),
        Field("code", "string", "код ведомства или района", "department or district code (slug)"),
        Field("name", "string", "название", "name"),
        Field("period_start", "date", "первый день периода", "first day of the period"),
        Field("period_end", "date", "последний день периода", "last day of the period"),
        Field("received", "integer", "поступило сообщений", "reports received"),
        Field("resolved", "integer", "решено впервые", "first resolutions"),
        Field("on_time", "integer", "из них в срок", "of those, on time"),
        Field("on_time_share", "number", "доля решённых в срок (0–1)", "share resolved on time (0–1)"),
        Field("median_working_days", "number", "медиана рабочих дней до решения", "median working days to resolve"),
        Field("resolutions", "integer", "все решения (включая повторные)", "every resolution (repeats too)"),
        Field("disputes", "integer", "оспорено жителями", "disputed by residents"),
        Field("disputed_share", "number", "доля оспоренных (0–1)", "disputed share (0–1)"),
        Field("satisfaction_mean", "number", "средняя оценка (1–5)", "mean rating (1–5)"),
        Field("satisfaction_count", "integer", "число оценок", "number of ratings"),
    ),
)  # fmt: skip

PB_RESULTS = Dataset(
    name="pb-results",
    title_ru="Итоги инициативного бюджетирования",
    title_en="Participatory budgeting results",
    about_ru="Проекты на бюллетене завершённых голосований (с опубликованными итогами): голоса и финансирование.",
    about_en="The projects on the ballot of finished votes (results published): votes and funding.",
    formats=("csv", "json"),
    fields=(
        Field("process", "string", "код процесса", "process code (slug)"),
        Field("process_title", "string", "название процесса", "process title"),
        Field("scope", "string", "city — весь город, иначе код района", "city, or the district code"),
        Field("rule", "string", "правило подсчёта", "counting rule"),
        Field("project_id", "string", "код проекта", "project code"),
        Field("title", "string", "название проекта", "project title"),
        Field("cost", "number", "стоимость", "cost"),
        Field("votes", "integer", "голосов", "votes"),
        Field("score", "integer", "баллов (кумулятивное голосование), иначе пусто", "points (cumulative ballots), else empty"),
        Field("funded", "boolean", "1 — финансируется", "1 when funded"),
    ),
)  # fmt: skip

PB_BALLOTS = Dataset(
    name="pb-ballots",
    title_ru="Бюллетени инициативного бюджетирования (Pabulib)",
    title_en="Participatory budgeting ballots (Pabulib)",
    about_ru=(
        "Один файл Pabulib (pabulib.org) на каждый бюджет завершённого голосования. Номера избирателей — "
        "порядковые 1, 2, 3…, не связанные с людьми."
    ),
    about_en=(
        "One Pabulib file (pabulib.org) per budget of a finished vote. Voter ids are sequence numbers "
        "1, 2, 3… that link to no person."
    ),
    formats=("pb",),
    fields=(
        Field("META", "section", "описание голосования: бюджет, правило, даты", "the vote: budget, rule, dates"),
        Field("PROJECTS", "section", "project_id, cost, votes, name", "project_id, cost, votes, name"),
        Field("VOTES", "section", "voter_id (порядковый номер), vote — выбранные проекты", "voter_id (a sequence number), vote — the projects chosen"),
    ),
)  # fmt: skip

CONSULTATION_PROJECTS = Dataset(
    name="consultations-projects",
    title_ru="Общественные обсуждения: проекты",
    title_en="Public consultations: projects",
    about_ru=(
        "Опубликованные проекты обсуждений: район, тема, статус, даты этапов и число опубликованных "
        "откликов по видам модулей. Скрытые модератором и ждущие проверки отклики не считаются."
    ),
    about_en=(
        "Published consultation projects: district, topic, status, phase dates and the number of "
        "published contributions per module kind. Hidden contributions and those awaiting moderation "
        "are not counted."
    ),
    formats=("csv", "json"),
    fields=(
        Field("project", "string", "код проекта (как в адресе страницы)", "project code (slug, as in its address)"),
        Field("title", "string", "название проекта", "project title"),
        Field("district", "string", "код района, пусто — весь город", "district code (slug), empty for the whole city"),
        Field("topic", "string", "тема: parks, streets, development, regulation, culture, other", "topic: parks, streets, development, regulation, culture, other"),
        Field("status", "string", "статус: upcoming, active, finished, reported", "status: upcoming, active, finished, reported"),
        Field("first_phase_start", "date", "начало первого этапа", "first phase starts"),
        Field("last_phase_end", "date", "конец последнего этапа", "last phase ends"),
        Field("map_contributions", "integer", "отметок на карте", "map feedback contributions"),
        Field("survey_responses", "integer", "заполненных анкет", "survey responses"),
        Field("questions", "integer", "вопросов", "questions asked"),
        Field("answers", "integer", "ответов на вопросы", "answers to questions"),
        Field("ideas", "integer", "идей", "ideas"),
        Field("idea_comments", "integer", "комментариев к идеям", "comments on ideas"),
        Field("paragraph_comments", "integer", "комментариев к абзацам проекта документа", "comments on paragraphs of a draft"),
    ),
)  # fmt: skip

CONSULTATION_MAP = Dataset(
    name="consultations-map-feedback",
    title_ru="Общественные обсуждения: отметки на карте",
    title_en="Public consultations: map feedback",
    about_ru=(
        "Видимые отметки жителей на карте опубликованных проектов: место, отношение, метки, число "
        "согласившихся, день и способ подачи. Без авторов и без текста комментариев и ответов: их пишут "
        "жители, и в них могут быть персональные данные. Скрытые модератором отметки не включаются."
    ),
    about_en=(
        "Residents' visible map contributions in published projects: the place, the sentiment, tags, "
        "agreements, the day and whether it came on paper. No authors, and no comment or answer text: "
        "residents write it and it could hold personal data. Contributions hidden by a moderator are left out."
    ),
    formats=("geojson",),
    fields=(
        Field("geometry", "geometry", "точка, линия или область (WGS 84)", "point, line or area (WGS 84)"),
        Field("project", "string", "код проекта", "project code (slug)"),
        Field("module", "integer", "номер модуля карты в проекте", "the map module's number"),
        Field("shape", "string", "point, line или area", "point, line or area"),
        Field("sentiment", "integer", "отношение: 1 — очень плохо … 5 — очень хорошо", "sentiment: 1 very negative … 5 very positive"),
        Field("tags", "array", "список меток, выбранных из списка модуля", "list of tags, chosen from the module's list"),
        Field("agreements", "integer", "сколько жителей согласились", "residents who agreed"),
        Field("date", "date", "день подачи (местное время, без часа)", "day submitted (local, no time)"),
        Field("paper", "boolean", "true — с бумажной анкеты", "true for a paper response"),
    ),
)  # fmt: skip

CONSULTATION_SURVEYS = Dataset(
    name="consultations-surveys",
    title_ru="Общественные обсуждения: итоги опросов",
    title_en="Public consultations: survey results",
    about_ru=(
        "Число ответов на каждый вариант вопросов с выбором, шкалой и ранжированием. Ответы свободным "
        "текстом, точки на карте и отдельные анкеты не публикуются."
    ),
    about_en=(
        "The number of answers per option of choice, scale and ranking questions. Free-text answers, "
        "map points and individual responses are never published."
    ),
    formats=("csv",),
    fields=(
        Field("project", "string", "код проекта", "project code (slug)"),
        Field("survey", "integer", "номер опроса (модуля)", "survey (module) number"),
        Field("survey_title", "string", "название опроса", "survey title"),
        Field("responses", "integer", "заполненных анкет в опросе", "responses to the survey"),
        Field("question_number", "integer", "номер вопроса по порядку", "question number, in order"),
        Field("question", "string", "текст вопроса", "question text"),
        Field("kind", "string", "single, multiple, scale или ranking", "single, multiple, scale or ranking"),
        Field("option", "string", "вариант ответа или значение шкалы", "option, or the scale value"),
        Field("place", "integer", "место в ранжировании, иначе пусто", "place in a ranking, else empty"),
        Field("count", "integer", "число ответов", "number of answers"),
    ),
)  # fmt: skip

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        REPORTS, PERFORMANCE, PB_RESULTS, PB_BALLOTS,
        CONSULTATION_PROJECTS, CONSULTATION_MAP, CONSULTATION_SURVEYS,
    )
}  # fmt: skip

MEDIA_TYPES = {
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "json": "application/json",
    "pb": "text/plain",
}
