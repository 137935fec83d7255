"""GET requests, the hot path: 1000 rows in well under 50 ms on a million reports (bench: docs/open311.md).

One query for the page of reports; one each for the municipality's category, department and district
names (a few dozen rows; joining them into the report query made SQLite's sort five times slower); one for
the photos and one for the last public notes of exactly those rows. No model instances, no query per row."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.db.models import F, Field, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gorod.city import selectors as city_selectors
from gorod.city.models import Category, Department, District, Municipality
from gorod.core import geo
from gorod.core.i18n import localized
from gorod.open311 import compiled
from gorod.open311.render import NOT_XML, Open311Error, clean_text
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.selectors import ReportFilter, filtered
from gorod.reports.workflow import Status

OPEN311_STATUS = {s.value: s.open311 for s in Status}
# A box under about 1 km a side holds few reports even over years, and the (lat, lon) index finds them
# fastest. For a larger box SQLite would still pick that index and then sort every report ever filed in
# it (over a second for half a city); reading newest first by time and stopping at the page is ~1 ms.
_SMALL_BOX_DEG = 0.01
_NAMES_TTL_S = 60.0
_names_kept: dict[tuple, tuple[str, float, dict[int, tuple]]] = {}


@dataclass(frozen=True)
class RequestQuery:
    """A validated GET requests query. `ids`, when given, overrides every other filter."""

    ids: tuple[int, ...] = ()
    categories: tuple[int, ...] = ()
    status: str = ""
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east
    circle: tuple[float, float, float] | None = None  # lat, lon, metres
    page: int = 1
    page_size: int = 1000
    extensions: bool = False


def category_ids(municipality: Municipality, codes: tuple[str, ...]) -> tuple[int, ...]:
    """Ids of the municipality's categories with these codes (retired ones too: their reports remain).
    From the kept category names (_names), read again once before a code is called unknown."""
    version = city_selectors.config_version(municipality.pk)
    found: dict[str, int] = {}
    for fresh in (False, True):
        names = _names(Category, municipality, "service_code", version=version, fresh=fresh)
        found = {code: pk for pk, (_, code) in names.items() if code in codes}
        if len(found) == len(set(codes)):
            break
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise Open311Error(400, _("service_code: unknown service code “%(code)s”.") % {"code": unknown[0]})
    return tuple(found[c] for c in dict.fromkeys(codes))


_BASE_FIELDS = (
    "id", "status", "description", "address", "lat", "lon", "created", "updated", "closed_at", "deadline",
    "moderation_due", "category_id", "department_id",
)  # fmt: skip
_EXTENDED_FIELDS = ("district_id", "attributes")


def requests(municipality: Municipality, query: RequestQuery, *, origin: str) -> list[dict]:
    """One page of the requests matching `query`, newest first. `origin` ("https://host") makes photo
    URLs absolute."""
    offset, limit = (query.page - 1) * query.page_size, query.page_size
    fields = _BASE_FIELDS + _EXTENDED_FIELDS if query.extensions else _BASE_FIELDS
    if query.ids:
        rows = _rows_by_ids(municipality, tuple(dict.fromkeys(query.ids)), fields)
    elif query.circle:
        qs = filtered(
            municipality,
            ReportFilter(
                categories=query.categories, open311_status=query.status, start=query.start, end=query.end
            ),
        )
        if query.bbox:
            qs = _in_box(qs, query.bbox)
        page_ids = _ids_within(qs, query.circle, offset + limit)[offset:]
        rows = list(Report.objects.filter(pk__in=page_ids).order_by("-created", "-id").values_list(*fields))
    else:
        rows = _rows_filtered(municipality, query, fields, offset, limit)
    if not rows:
        return []
    ids = [r[0] for r in rows]
    return _items(rows, _photo_urls(ids, origin), _last_public_notes(ids), municipality, query.extensions)


def _rows_filtered(
    municipality: Municipality, query: RequestQuery, fields: tuple[str, ...], offset: int, limit: int
) -> list[tuple]:
    """A page of a filtered list as values_list rows, through SQL compiled once per shape (compiled.py):
    building and compiling the query was a fifth of the CPU of a list of 100."""
    field = _report_field
    values: list[tuple[Field, object]] = [(field("category"), pk) for pk in query.categories]
    values += [(field("created"), when) for when in (query.start, query.end) if when is not None]
    small = None
    if query.bbox:
        small = _is_small(query.bbox)
        south, west, north, east = query.bbox
        values += [(field("lat"), south), (field("lon"), west), (field("lat"), north), (field("lon"), east)]
    n = len(query.categories)

    def build(given: list) -> QuerySet:
        rest = iter(given[n:])
        qs = filtered(
            municipality,
            ReportFilter(
                categories=tuple(given[:n]),
                open311_status=query.status,
                start=next(rest) if query.start else None,
                end=next(rest) if query.end else None,
            ),
        )
        if query.bbox:
            qs = _in_box(qs, tuple(rest), small=small)  # type: ignore[arg-type]
        return qs.order_by("-created", "-id").values_list(*fields)[offset : offset + limit]

    shape = (n, query.status, query.start is not None, query.end is not None, small)
    key = ("list", *_visibility(municipality), shape, fields, offset, limit)
    return compiled.rows(Report, key, build, values)


def _rows_by_ids(municipality: Municipality, ids: tuple[int, ...], fields: tuple[str, ...]) -> list[tuple]:
    """The public reports with these ids, newest first, as values_list rows, through SQL compiled once
    per number of ids (compiled.py): asked by id, building and compiling the ORM query was about a third
    of the answer's CPU (docs/decisions.md, "Lean requests")."""

    def build(given: list) -> QuerySet:
        qs = filtered(municipality, ReportFilter(ids=tuple(given))).order_by("-created", "-id")
        return qs.values_list(*fields)[: len(given)]

    pk = _report_field("id")
    key = ("ids", *_visibility(municipality), len(ids), fields)
    return compiled.rows(Report, key, build, [(pk, i) for i in ids])


def _report_field(name: str) -> Field:
    return Report._meta.get_field(name)  # type: ignore[return-value]  # a concrete field, not a relation


def _visibility(municipality: Municipality) -> tuple:
    """What public_reports writes into the SQL about the municipality."""
    return municipality.pk, municipality.hide_anonymous_until_moderated


def _names(
    model, municipality: Municipality, *extra: str, version: str, fresh: bool = False
) -> dict[int, tuple]:
    """id → (name in the active language, *extra) for one municipality's rows of a city model.

    Kept per process and language while the city configuration version stays the same (an import changes
    it; an admin edit shows within _NAMES_TTL_S): reading and translating the few dozen names of every
    category, department and district was a third of the CPU of answering one request by id."""
    key = (model.__name__, municipality.pk, get_language(), extra)
    now = time.monotonic()
    kept = _names_kept.get(key)
    if not fresh and kept is not None and kept[0] == version and now - kept[1] < _NAMES_TTL_S:
        return kept[2]
    rows = model.objects.filter(municipality=municipality).values_list("id", "name", "name_en", *extra)
    names = {pk: (localized(name, name_en), *rest) for pk, name, name_en, *rest in rows}
    _names_kept[key] = (version, now, names)
    return names


def _names_for(model, municipality: Municipality, ids: set, *extra: str, version: str) -> dict[int, tuple]:
    """_names, read again when a row names one it does not know yet (added since it was kept)."""
    names = _names(model, municipality, *extra, version=version)
    if not ids <= names.keys():
        names = _names(model, municipality, *extra, version=version, fresh=True)
    return names


def _is_small(box: tuple[float, float, float, float]) -> bool:
    south, west, north, east = box
    return north - south <= _SMALL_BOX_DEG and east - west <= 2 * _SMALL_BOX_DEG


def _in_box(
    qs: QuerySet[Report], box: tuple[float, float, float, float], *, small: bool | None = None
) -> QuerySet[Report]:
    """Reports in the box; `small` (the box's own size when not given) picks how the database finds them."""
    south, west, north, east = box
    if _is_small(box) if small is None else small:
        return qs.filter(lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east)
    # lat + 0 is the same number, but no index can serve it, so the planner keeps the time index.
    return qs.alias(lat_0=F("lat") + 0.0).filter(
        lat_0__gte=south, lat_0__lte=north, lon__gte=west, lon__lte=east
    )


def _ids_within(qs: QuerySet[Report], circle: tuple[float, float, float], wanted: int) -> list[int]:
    """Up to `wanted` ids, newest first, of reports within the circle: the surrounding box in SQL, the
    exact distance in Python, reading only as far as the page needs."""
    lat, lon, radius = circle
    south, west, north, east = geo.bbox_of_radius(lat, lon, radius)
    candidates = (
        _in_box(qs, (south, west, north, east)).order_by("-created", "-id").values_list("id", "lat", "lon")
    )
    inside: list[int] = []
    for pk, a, b in candidates.iterator(chunk_size=2000):
        if geo.haversine_m(lat, lon, a, b) <= radius:
            inside.append(pk)
            if len(inside) >= wanted:
                break
    return inside


def _rows_for_reports(
    model, columns: tuple[str, ...], ids: list[int], *, non_blank: str = "", equals: dict | None = None
) -> list[tuple]:
    """`columns` of `model`'s rows for these report ids, by report and then in the model's order
    (optionally only rows whose `non_blank` column is not empty and whose `equals` columns have the
    given values). Plain SQL on purpose: the ORM spends
    ~2.5 ms preparing 1000 IN parameters one by one, and these are ints we have just read."""
    qn = connection.ops.quote_name

    def column(name: str) -> str:
        return qn(model._meta.get_field(name).column)

    # Only quoted names from the model's meta are spliced in; every value is a parameter.
    select = ", ".join(column(c) for c in columns)
    order = ", ".join(column(c) for c in ("report", *model._meta.ordering))
    blank = f" AND {column(non_blank)} <> ''" if non_blank else ""
    equals = equals or {}
    blank += "".join(f" AND {column(name)} = %s" for name in equals)
    sql = (
        f"SELECT {select} FROM {qn(model._meta.db_table)}"  # noqa: S608
        f" WHERE {column('report')} IN ({', '.join(['%s'] * len(ids))}){blank} ORDER BY {order}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *equals.values()])
        return cursor.fetchall()


def _photo_urls(ids: list[int], origin: str) -> dict[int, list[str]]:
    storage = Photo._meta.get_field("image").storage
    if isinstance(storage, FileSystemStorage):
        # What storage.url does, without a urljoin per photo.
        base = storage.base_url if storage.base_url.startswith("http") else origin + storage.base_url

        def url(name: str) -> str:
            return base + quote(name)
    else:

        def url(name: str) -> str:
            return storage.url(name)

    urls: dict[int, list[str]] = {}
    # Private photos (hidden by a moderator, of a rejected report) never leave the back office.
    for report_id, name in _rows_for_reports(
        Photo, ("report", "image"), ids, equals={"private": False, "hidden": False}
    ):
        urls.setdefault(report_id, []).append(url(name))
    return urls


def _last_public_notes(ids: list[int]) -> dict[int, str]:
    # Answers held for moderation (or sent back) are not public yet.
    rows = _rows_for_reports(
        ReportEvent,
        ("report", "public_note"),
        ids,
        non_blank="public_note",
        equals={"note_state": ReportEvent.NoteState.PUBLISHED},
    )
    return dict(rows)  # in time order, so the last note of each report wins


def _notice() -> str:
    return _("Moderation by %(moderation)s, then the department is to act by %(deadline)s.")


def created(report: Report) -> dict:
    """The answer to a POST: the new id (realtime), what happens next, and the token as well."""
    notice = _notice() % {
        "moderation": report.moderation_due.isoformat(),
        "deadline": report.deadline.isoformat(),
    }
    return {
        "service_request_id": report.pk,
        "service_notice": notice,
        "account_id": None,
        "token": str(report.token),
    }


def _items(rows, photos, notes, municipality: Municipality, extensions: bool) -> list[dict]:
    tz = ZoneInfo(municipality.timezone)
    version = city_selectors.config_version(municipality.pk)
    categories = _names_for(Category, municipality, {r[11] for r in rows}, "service_code", version=version)
    departments = _names_for(Department, municipality, {r[12] for r in rows} - {None}, version=version)
    districts = (
        _names_for(District, municipality, {r[13] for r in rows}, version=version) if extensions else {}
    )
    notice = _notice()
    # Many rows share their deadlines: format each date (and pair of dates) once.
    ends_of_day: dict[dt.date, str] = {}
    notices: dict[tuple[dt.date, dt.date], str] = {}
    # What clean_text and w3c do, written out: this loop runs once per row of every list, and calling
    # them was about a fifth of its time (docs/decisions.md, "Lean requests"). The same results: tests
    # compare the answers with the helpers'.
    not_xml = NOT_XML.search
    strip = NOT_XML.sub
    items = []
    for row in rows:
        (pk, status, description, address, lat, lon, created_at, updated, closed_at, deadline, moderation_due,
         category_id, department_id) = row[:13]  # fmt: skip
        name, code = categories[category_id]
        dept = departments[department_id][0] if department_id else None
        open311_status = OPEN311_STATUS[status]
        is_open = open311_status == "open"
        end_of_day = ends_of_day.get(deadline)
        if end_of_day is None:
            end_of_day = dt.datetime.combine(deadline, dt.time(23, 59, 59), tz).isoformat()
            ends_of_day[deadline] = end_of_day
        service_notice = None
        if is_open:
            service_notice = notices.get((moderation_due, deadline))
            if service_notice is None:
                dates = {"moderation": moderation_due.isoformat(), "deadline": deadline.isoformat()}
                service_notice = notices[moderation_due, deadline] = notice % dates
        note = notes.get(pk)
        if note and not_xml(note):
            note = strip("", note)
        if description and not_xml(description):
            description = strip("", description)
        if address and not_xml(address):
            address = strip("", address)
        # For a closed request the spec wants the time it was closed.
        changed = closed_at if closed_at and not is_open else updated
        media = photos.get(pk)
        item = {
            "service_request_id": pk,
            "status": open311_status,
            "status_notes": note,
            "service_name": name,
            "service_code": code,
            "description": description,
            "agency_responsible": dept,
            "service_notice": service_notice,
            "requested_datetime": (
                created_at.astimezone(tz).isoformat(timespec="seconds") if created_at is not None else None
            ),
            "updated_datetime": (
                changed.astimezone(tz).isoformat(timespec="seconds") if changed is not None else None
            ),
            "expected_datetime": end_of_day,
            "address": address or None,
            "address_id": None,
            "zipcode": None,
            "lat": lat,
            "long": lon,
            "media_url": media[0] if media else None,
        }
        if extensions:
            district_id, attributes = row[13:]
            item["extended_attributes"] = {
                "detailed_status": status,
                "district": districts[district_id][0],
                "department": item["agency_responsible"],
                "deadline": deadline.isoformat(),
                "moderation_due": moderation_due.isoformat(),
                "media_urls": media or [],
                "attributes": _attribute_values(attributes),
            }
        items.append(item)
    return items


def _attribute_values(stored: dict | None) -> list[dict]:
    result = []
    # Sorted: PostgreSQL's jsonb does not keep the order the values were given in.
    for code, value in sorted((stored or {}).items()):
        values = value if isinstance(value, list) else [value]
        result.append({"code": code, "values": [clean_text(v) if isinstance(v, str) else v for v in values]})
    return result
