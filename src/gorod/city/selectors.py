"""Reads of the city configuration, with small per-process caches for the hot path of filing a report."""

from __future__ import annotations

import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http.request import split_domain_port

from gorod.city.models import (
    CalendarDay,
    Category,
    Department,
    District,
    Municipality,
    Place,
    RoutingRule,
    SiteHost,
)
from gorod.core.calendar import WorkCalendar

_CACHE_TTL_S = 60.0
_calendars: dict[int, tuple[float, WorkCalendar]] = {}
_routing: dict[int, tuple[float, dict[tuple[int, int | None], int]]] = {}
_categories: dict[int, tuple[float, dict[str, Category]]] = {}
_municipalities: list[tuple[float, list[Municipality]]] = []
_CONFIG_VERSION_KEY = "gorod:city-config:%d"


def config_version(municipality_id: int) -> str:
    """A token that changes whenever the municipality's city file is imported, kept in the shared cache so
    that with Redis every process sees an import at once. Answers built from the city configuration
    (Open311 services.json, say) are reused while it stays the same. Without a version yet (a fresh or
    cleared cache) a new one is made, which only makes such answers be built once more."""
    key = _CONFIG_VERSION_KEY % municipality_id
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key) or ""
    return version


def config_changed(municipality_id: int) -> None:
    cache.set(_CONFIG_VERSION_KEY % municipality_id, uuid.uuid4().hex, None)


def invalidate_caches() -> None:
    _calendars.clear()
    _routing.clear()
    _categories.clear()
    _municipalities.clear()


def municipalities() -> list[Municipality]:
    """Every municipality, in id order, cached per process (read on every API call, changed rarely)."""
    now = time.monotonic()
    if not _municipalities or now - _municipalities[0][0] >= _CACHE_TTL_S:
        _municipalities[:] = [(now, list(Municipality.objects.order_by("id")))]
    return _municipalities[0][1]


def public_municipalities() -> list[Municipality]:
    """The municipalities the installation shows to the outside (Open311, open data): all but training
    sandboxes (docs/sandbox.md). From the per-process list."""
    return [m for m in municipalities() if not m.is_sandbox]


def is_sandbox(municipality_id: int | None) -> bool:
    """Whether this municipality is a training sandbox. From the per-process list; one not in it yet (made
    by another process within the last minute) is asked of the database, so a new sandbox is never taken
    for a real city."""
    if municipality_id is None:
        return False
    known = next((m for m in municipalities() if m.pk == municipality_id), None)
    if known is not None:
        return known.is_sandbox
    return Municipality.objects.filter(pk=municipality_id, is_sandbox=True).exists()


def active_category(municipality_id: int, service_code: str) -> Category | None:
    """An active category by its Open311 code, with its attributes loaded; cached per process because
    every report filed asks. The instances are shared: read them, never change them."""
    now = time.monotonic()
    cached = _categories.get(municipality_id)
    if not cached or now - cached[0] >= _CACHE_TTL_S:
        rows = Category.objects.filter(municipality_id=municipality_id, active=True).prefetch_related(
            "attributes"
        )
        cached = _categories[municipality_id] = (now, {c.service_code: c for c in rows})
    return cached[1].get(service_code)


def calendar_for(municipality_id: int) -> WorkCalendar:
    now = time.monotonic()
    cached = _calendars.get(municipality_id)
    if cached and now - cached[0] < _CACHE_TTL_S:
        return cached[1]
    days = list(CalendarDay.objects.filter(municipality_id=municipality_id).values_list("date", "kind"))
    calendar = WorkCalendar(
        holidays=frozenset(d for d, k in days if k == CalendarDay.Kind.HOLIDAY),
        moved_workdays=frozenset(d for d, k in days if k == CalendarDay.Kind.WORKDAY),
    )
    _calendars[municipality_id] = (now, calendar)
    return calendar


def department_id_for(*, municipality_id: int, category_id: int, district_id: int | None) -> int | None:
    """The id of the department a rule sends this category to in this district (the district's own rule
    first, then the category's rule for every district). Cached per process like the calendar."""
    now = time.monotonic()
    cached = _routing.get(municipality_id)
    if not cached or now - cached[0] >= _CACHE_TTL_S:
        rows = RoutingRule.objects.filter(municipality_id=municipality_id).values_list(
            "category_id", "district_id", "department_id"
        )
        cached = _routing[municipality_id] = (now, {(c, d): dept for c, d, dept in rows})
    table = cached[1]
    if district_id is not None and (category_id, district_id) in table:
        return table[category_id, district_id]
    return table.get((category_id, None))


def department_for(*, category: Category, district: District | None) -> Department | None:
    """The department a rule sends this category to in this district (a district's own rule first)."""
    department_id = department_id_for(
        municipality_id=category.municipality_id,
        category_id=category.pk,
        district_id=district.pk if district is not None else None,
    )
    return Department.objects.get(pk=department_id) if department_id else None


# The host of the request being answered, set by city.middleware.RequestHostMiddleware; unset outside a
# request (commands, the worker), where the installation's default municipality is the one meant.
request_host: ContextVar[str] = ContextVar("request_host", default="")


def default_municipality() -> Municipality | None:
    """The municipality shown: during a request the one its host picks (municipality_for_host), else the
    installation's default."""
    return municipality_for_host(request_host.get())


def municipality_for_host(host: str) -> Municipality | None:
    """The municipality whose site answers on this host (`site.hosts` of its city file); for any other
    host GOROD_DEFAULT_MUNICIPALITY's, or without that setting the first imported. A training sandbox
    answers only on its own hosts, never as the default. One query and no cache: every page asks once,
    as it did when there was only the default, and its count stays pinned."""
    name = split_domain_port(host)[0] if host else ""
    answers = Exists(SiteHost.objects.filter(municipality=OuterRef("pk"), host=name))
    candidates = Municipality.objects.annotate(answers=answers).filter(Q(answers=True) | Q(is_sandbox=False))
    if settings.GOROD_DEFAULT_MUNICIPALITY:
        candidates = candidates.filter(Q(answers=True) | Q(slug=settings.GOROD_DEFAULT_MUNICIPALITY))
    return candidates.order_by("-answers", "id").first()


def site_address(municipality: Municipality | None) -> str:
    """Where links in this municipality's mails point: its own site, or the installation's GOROD_SITE_URL."""
    own = municipality.site_url if municipality is not None else ""
    return (own or settings.GOROD_SITE_URL).rstrip("/")


def site_url(municipality_id: int | None) -> str:
    """site_address for code that has only the id (the worker's mails): from the per-process list."""
    return site_address(next((m for m in municipalities() if m.pk == municipality_id), None))


def active_categories(municipality: Municipality) -> QuerySet[Category]:
    return (
        Category.objects.filter(municipality=municipality, active=True)
        .select_related("object_type")
        .prefetch_related("attributes")
    )


def districts_of(municipality: Municipality) -> QuerySet[District]:
    return District.objects.filter(municipality=municipality)


def geocode(municipality: Municipality, text: str) -> Place | None:
    """Place a typed address using the city's own gazetteer: an exact name first, then the longest
    known name the text contains ("Невский проспект, 28" → Невский проспект), then a name containing
    the text. Case-insensitive in any script (SQLite's LIKE folds ASCII only, so match in Python)."""
    needle = " ".join(text.casefold().split())
    if len(needle) < 3:
        return None
    places = list(Place.objects.filter(municipality=municipality))
    names = [(p, n.casefold()) for p in places for n in (p.name, p.name_en) if n]
    for place, name in names:
        if name == needle:
            return place
    contained = [(len(name), place) for place, name in names if name in needle]
    if contained:
        return max(contained, key=lambda pair: pair[0])[1]
    for place, name in names:
        if needle in name:
            return place
    return None
