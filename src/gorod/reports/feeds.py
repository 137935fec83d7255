"""RSS and Atom feeds of new reports: whole city, per district, per category. A feed item carries the
category, district, place, status and the description — never anyone's name, e-mail or phone."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from gorod.city import selectors as city_selectors
from gorod.city.models import Category, District, Municipality
from gorod.reports import selectors
from gorod.reports.models import Report
from gorod.reports.workflow import Status

ITEMS = 50


class _Scope:
    """What one feed is about: the city, or one district or category of it."""

    def __init__(
        self, city: Municipality, district: District | None = None, category: Category | None = None
    ):
        self.city, self._district, self._category = city, district, category

    @property
    def district(self) -> District:
        assert self._district is not None, "a district feed's scope has its district"
        return self._district

    @property
    def category(self) -> Category:
        assert self._category is not None, "a category feed's scope has its category"
        return self._category


class CityReportsRss(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs) -> _Scope:
        city = city_selectors.default_municipality()
        if city is None:
            raise Http404(_("No city has been set up yet."))
        return self.scope(city, **kwargs)

    def scope(self, city: Municipality, **kwargs) -> _Scope:
        return _Scope(city)

    def report_filter(self, scope: _Scope) -> selectors.ReportFilter:
        return selectors.ReportFilter()

    def title(self, scope: _Scope) -> str:
        return _("New reports in %(city)s") % {"city": scope.city.label}

    def description(self, scope: _Scope) -> str:
        return self.title(scope)

    def link(self, scope: _Scope) -> str:
        return reverse("reports-list")

    def items(self, scope: _Scope):
        return selectors.for_list(selectors.filtered(scope.city, self.report_filter(scope)))[:ITEMS]

    def item_title(self, report: Report) -> str:
        # Plain text: the feed generator escapes it for XML.
        return _("#%(id)s %(category)s, %(district)s") % {
            "id": report.pk,
            "category": report.category.label,
            "district": report.district.label,
        }

    def item_description(self, report: Report) -> str:
        # The description element holds HTML, so the citizen's text is escaped here as HTML first.
        parts = [
            linebreaks(report.description, autoescape=True),
            linebreaks(
                _("Status: %(status)s. Place: %(place)s.")
                % {"status": Status(report.status).label, "place": report.address or report.district.label},
                autoescape=True,
            ),
        ]
        return "".join(parts)

    def item_link(self, report: Report) -> str:
        return reverse("report-detail", args=[report.pk])

    def item_guid(self, report: Report) -> str:
        return self.item_link(report)

    def item_pubdate(self, report: Report):
        return report.created

    def item_updateddate(self, report: Report):
        return report.updated

    def item_categories(self, report: Report):
        return [report.category.label]


class CityReportsAtom(CityReportsRss):
    feed_type = Atom1Feed

    def subtitle(self, scope: _Scope) -> str:
        return self.description(scope)


class DistrictReportsRss(CityReportsRss):
    def scope(self, city: Municipality, **kwargs) -> _Scope:
        district = city_selectors.districts_of(city).filter(slug=kwargs.get("slug", "")).first()
        if district is None:
            raise Http404(_("There is no such district."))
        return _Scope(city, district=district)

    def report_filter(self, scope: _Scope) -> selectors.ReportFilter:
        return selectors.ReportFilter(districts=(scope.district.pk,))

    def title(self, scope: _Scope) -> str:
        return _("New reports in %(district)s, %(city)s") % {
            "district": scope.district.label,
            "city": scope.city.label,
        }

    def link(self, scope: _Scope) -> str:
        return reverse("reports-list") + f"?district={scope.district.pk}"


class DistrictReportsAtom(DistrictReportsRss):
    feed_type = Atom1Feed

    def subtitle(self, scope: _Scope) -> str:
        return self.description(scope)


class CategoryReportsRss(CityReportsRss):
    def scope(self, city: Municipality, **kwargs) -> _Scope:
        category = Category.objects.filter(
            municipality=city, service_code=kwargs.get("service_code", "")
        ).first()
        if category is None:
            raise Http404(_("There is no such category."))
        return _Scope(city, category=category)

    def report_filter(self, scope: _Scope) -> selectors.ReportFilter:
        return selectors.ReportFilter(categories=(scope.category.pk,))

    def title(self, scope: _Scope) -> str:
        return _("New reports: %(category)s, %(city)s") % {
            "category": scope.category.label,
            "city": scope.city.label,
        }

    def link(self, scope: _Scope) -> str:
        return reverse("reports-list") + f"?category={scope.category.pk}"


class CategoryReportsAtom(CategoryReportsRss):
    feed_type = Atom1Feed

    def subtitle(self, scope: _Scope) -> str:
        return self.description(scope)


def feed_links(districts=(), categories=()) -> list[dict[str, str]]:
    """Title, RSS and Atom addresses of the city's feed and of the given districts' and categories'
    feeds, for <link rel=alternate> and the links on the pages."""
    links = [
        {
            "title": _("All new reports"),
            "rss": reverse("feed-city-rss"),
            "atom": reverse("feed-city-atom"),
        }
    ]
    for district in districts:
        links.append(
            {
                "title": _("New reports in %(district)s") % {"district": district.label},
                "rss": reverse("feed-district-rss", args=[district.slug]),
                "atom": reverse("feed-district-atom", args=[district.slug]),
            }
        )
    for category in categories:
        links.append(
            {
                "title": _("New reports: %(category)s") % {"category": category.label},
                "rss": reverse("feed-category-rss", args=[category.service_code]),
                "atom": reverse("feed-category-atom", args=[category.service_code]),
            }
        )
    return links
