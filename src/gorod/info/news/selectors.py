"""Reads of news, planned works and subscriptions. "Published" always means published_at ≤ clock.now():
scheduled items stay out of every public page, feed, look-up and mail until then."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from gorod.city import selectors as city_selectors
from gorod.city.models import District, Municipality
from gorod.core import clock, geo
from gorod.info.news import geometry
from gorod.info.news.models import AreaSubscription, NewsItem, NewsTag, PlannedWork

NEAR_M = 100  # a report this close to a work's shape is "here"


def local_today(city: Municipality) -> dt.date:
    return clock.today(ZoneInfo(city.timezone))


def published_news(city: Municipality, *, district: District | None = None, tag: NewsTag | None = None):
    items = NewsItem.objects.filter(municipality=city, published_at__lte=clock.now())
    if district is not None:
        # A district's page shows its own news and the city's.
        items = items.filter(Q(district=district) | Q(district__isnull=True))
    if tag is not None:
        items = items.filter(tags=tag)
    return items.select_related("district").prefetch_related("tags", "photos")


def news_item(city: Municipality, pk: int) -> NewsItem | None:
    return published_news(city).filter(pk=pk).first()


def tags_in_use(city: Municipality) -> QuerySet[NewsTag]:
    return NewsTag.objects.filter(municipality=city, items__published_at__lte=clock.now()).distinct()


def all_news(city: Municipality) -> QuerySet[NewsItem]:
    """Staff's list: scheduled ones too."""
    return NewsItem.objects.filter(municipality=city).select_related("district")


def published_works(city: Municipality) -> QuerySet[PlannedWork]:
    return PlannedWork.objects.filter(municipality=city, published_at__lte=clock.now()).select_related(
        "district"
    )


def current_works(
    city: Municipality, *, district: District | None = None, text: str = "", kind: str = ""
) -> QuerySet[PlannedWork]:
    """Published works not yet over, soonest first; `text` searches the address, title and description."""
    works = published_works(city).filter(ends_on__gte=local_today(city))
    if district is not None:
        works = works.filter(district=district)
    if kind:
        works = works.filter(kind=kind)
    for word in text.split()[:6]:
        works = works.filter(
            Q(address__icontains=word) | Q(title__icontains=word) | Q(description__icontains=word)
        )
    return works.order_by("starts_on", "id")


PLACE_NEAR_M = 300  # an address found in the city's gazetteer matches works this close to it


def search_works(city: Municipality, text: str, works: QuerySet[PlannedWork]) -> list[PlannedWork]:
    """Works whose address, title or description holds every word (case-insensitive in any script:
    SQLite's LIKE folds ASCII only, so this runs in Python over the few hundred current works), and,
    when the text names a place of the city's gazetteer ("Невский проспект, 28"), the works within
    PLACE_NEAR_M of it whatever their own address says."""
    words = [w.casefold() for w in text.split()[:6]]
    if not words:
        return list(works)
    place = city_selectors.geocode(city, text)
    found = []
    for work in works:
        hay = f"{work.address} {work.title} {work.description}".casefold()
        near = place is not None and geometry.distance_m(work.geometry, place.lat, place.lon) <= PLACE_NEAR_M
        if near or all(word in hay for word in words):
            found.append(work)
    return found


@dataclass(frozen=True)
class Nearby:
    work: PlannedWork
    metres: int


def works_near(city: Municipality, lat: float, lon: float, *, metres: float = NEAR_M) -> list[Nearby]:
    """Current works whose shape is within `metres` of the point, nearest first. The bounding boxes
    narrow the rows in the database; shapely measures the few that are left."""
    south, west, north, east = geo.bbox_of_radius(lat, lon, metres)
    rows = current_works(city).filter(south__lte=north, north__gte=south, west__lte=east, east__gte=west)
    found = []
    for work in rows[:200]:
        distance = geometry.distance_m(work.geometry, lat, lon)
        if distance <= metres:
            found.append(Nearby(work, round(distance)))
    return sorted(found, key=lambda n: (n.metres, n.work.ends_on))


def works_geojson(city: Municipality, works) -> dict:
    """A FeatureCollection for the map: only public fields, texts as plain strings."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": work.pk,
                "geometry": work.geometry,
                "properties": {
                    "id": work.pk,
                    "kind": work.kind,
                    "kindLabel": str(work.get_kind_display()),
                    "title": work.title,
                    "address": work.address,
                    "starts": work.starts_on.isoformat(),
                    "ends": work.ends_on.isoformat(),
                    "period": f"{work.starts_on:%d.%m.%Y} – {work.ends_on:%d.%m.%Y}",
                },
            }
            for work in works
        ],
    }


def subscribers_for_district(city: Municipality, district_id: int | None) -> QuerySet[AreaSubscription]:
    """Active subscriptions of a district (city-wide news: every district subscription of the city)."""
    subs = AreaSubscription.objects.filter(municipality=city, active=True, district__isnull=False)
    if district_id is not None:
        subs = subs.filter(district_id=district_id)
    return subs


def point_subscribers(city: Municipality) -> QuerySet[AreaSubscription]:
    return AreaSubscription.objects.filter(municipality=city, active=True, district__isnull=True)
