"""RSS and Atom feeds of published news (the city's, or a district's with the city's), and an iCalendar
feed of planned works (the city's, or a district's). Stable addresses under /news/; a district that does
not exist is a 404. Feeds carry what the pages show, never anyone's contact details."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from gorod.city import selectors as city_selectors
from gorod.city.models import District, Municipality
from gorod.info.guides import render_markdown
from gorod.info.news import selectors
from gorod.info.news.models import NewsItem
from gorod.info.news.views import district_or_404
from gorod.reports.views import with_city

ITEMS = 50


class NewsRss(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request, slug: str | None = None):
        city = city_selectors.default_municipality()
        if city is None:
            raise Http404(_("No city has been set up yet."))
        return city, district_or_404(city, slug)

    def title(self, obj) -> str:
        city, district = obj
        if district is not None:
            return _("News of %(district)s, %(city)s") % {"district": district.label, "city": city.label}
        return _("News of %(city)s") % {"city": city.label}

    def description(self, obj) -> str:
        return self.title(obj)

    def link(self, obj) -> str:
        _city, district = obj
        base = reverse("news:list")
        return f"{base}?district={district.slug}" if district is not None else base

    def items(self, obj):
        city, district = obj
        return selectors.published_news(city, district=district)[:ITEMS]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        # Sanitized HTML, as on the page (the feed generator escapes it for XML).
        return render_markdown(item.body)[0]

    def item_link(self, item: NewsItem) -> str:
        return reverse("news:detail", args=[item.pk])

    def item_pubdate(self, item: NewsItem) -> dt.datetime:
        return item.published_at

    def item_updateddate(self, item: NewsItem) -> dt.datetime:
        return max(item.updated, item.published_at)

    def item_categories(self, item: NewsItem) -> list[str]:
        return [t.name for t in item.tags.all()]


class NewsAtom(NewsRss):
    feed_type = Atom1Feed
    subtitle = NewsRss.description


def _calendar(city: Municipality, district: District | None, host: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Gorod//planned works//EN")
    cal.add("version", "2.0")
    name = _("Planned works, %(place)s") % {"place": district.label if district else city.label}
    cal.add("x-wr-calname", name)
    site = city_selectors.site_address(city)
    works = selectors.published_works(city)
    if district is not None:
        works = works.filter(district=district)
    for work in works.order_by("starts_on", "id")[:2000]:
        event = Event()
        event.add("uid", f"work-{work.pk}@{host}")
        event.add("summary", f"{work.get_kind_display()}: {work.title}")
        event.add("dtstart", work.starts_on)
        event.add("dtend", work.ends_on + dt.timedelta(days=1))  # DTEND of an all-day event is exclusive
        event.add("dtstamp", work.updated)
        event.add("last-modified", work.updated)
        if work.address:
            event.add("location", work.address)
        if work.description:
            event.add("description", work.description)
        event.add("url", site + reverse("news:work", args=[work.pk]))
        cal.add_component(event)
    return cal.to_ical()


@require_GET
@with_city
def works_ical(request: HttpRequest, city: Municipality, slug: str | None = None) -> HttpResponse:
    district = district_or_404(city, slug)
    response = HttpResponse(
        _calendar(city, district, request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="works.ics"'
    return response
