"""Public pages of news and planned works: thin, each parses its query, calls a selector or a service
and renders. Unknown filter values are a 404 (a district or tag that does not exist), malformed numbers a
400: never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from gorod.city.models import District, Municipality
from gorod.core import honeypot, ratelimit, usage
from gorod.core.tiles import tile_config
from gorod.info.guides import render_markdown
from gorod.info.news import selectors, services
from gorod.info.news.forms import SubscribeForm
from gorod.info.news.models import AreaSubscription, NewsTag, PlannedWork
from gorod.reports.views import with_city

PAGE_SIZE = 20
SUBSCRIBED = _lazy("Done. Check your mailbox: a new address is asked to confirm itself first.")


def district_or_404(city: Municipality, slug: str | None) -> District | None:
    if not slug:
        return None
    district = District.objects.filter(municipality=city, slug=slug).first()
    if district is None:
        raise Http404(_("No such district."))
    return district


def _tag_or_404(city: Municipality, slug: str | None) -> NewsTag | None:
    if not slug:
        return None
    tag = NewsTag.objects.filter(municipality=city, slug=slug).first()
    if tag is None:
        raise Http404(_("No such tag."))
    return tag


def _feed_links(district: District | None) -> list[dict[str, str]]:
    if district is None:
        return [{"title": _("News of the city"), "rss": reverse("news:rss"), "atom": reverse("news:atom")}]
    return [
        {
            "title": _("News of %(district)s") % {"district": district.label},
            "rss": reverse("news:district-rss", args=[district.slug]),
            "atom": reverse("news:district-atom", args=[district.slug]),
        }
    ]


@require_GET
@with_city
def news_list(request: HttpRequest, city: Municipality) -> HttpResponse:
    district = district_or_404(city, request.GET.get("district"))
    tag = _tag_or_404(city, request.GET.get("tag"))
    items = selectors.published_news(city, district=district, tag=tag)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "info/news/list.html",
        {
            "city": city,
            "page": page,
            "district": district,
            "tag": tag,
            "districts": District.objects.filter(municipality=city).order_by("name"),
            "tags": selectors.tags_in_use(city),
            "works": selectors.current_works(city, district=district)[:5],
            "feeds": _feed_links(district),
        },
    )


@require_GET
@with_city
def news_detail(request: HttpRequest, city: Municipality, pk: int) -> HttpResponse:
    item = selectors.news_item(city, pk)
    if item is None:
        raise Http404(_("No such news item."))
    html, _title, _anchors = render_markdown(item.body)
    return render(request, "info/news/detail.html", {"city": city, "item": item, "body_html": html})


def _map_config(city: Municipality, **extra) -> dict:
    return {
        "center": [city.center_lat, city.center_lon],
        "zoom": city.default_zoom,
        **tile_config(),
        "districts": reverse("reports-districts"),
        "workUrl": reverse("news:work", args=[0]),
        "i18n": {
            "failed": _("The map could not load the works. The list below has them all."),
            "shown": _("%(count)s works on the map."),
        },
        **extra,
    }


def _work_filters(request: HttpRequest, city: Municipality):
    district = district_or_404(city, request.GET.get("district"))
    kind = request.GET.get("kind") or ""
    if kind and kind not in PlannedWork.Kind.values:
        raise Http404(_("No such kind of works."))
    text = (request.GET.get("q") or "").strip()[:200]
    works = selectors.current_works(city, district=district, kind=kind)
    return district, kind, text, selectors.search_works(city, text, works[:1000])


@require_GET
@with_city
def works_list(request: HttpRequest, city: Municipality) -> HttpResponse:
    district, kind, text, works = _work_filters(request, city)
    if text:
        usage.note_search(request, scope="news", query=text, found=len(works))  # demand: unmet searches
    query = request.GET.urlencode()
    return render(
        request,
        "info/news/works.html",
        {
            "city": city,
            "works": works,
            "district": district,
            "kind": kind,
            "q": text,
            "kinds": PlannedWork.Kind.choices,
            "districts": District.objects.filter(municipality=city).order_by("name"),
            "map_config": _map_config(
                city, works=reverse("news:works-geojson") + (f"?{query}" if query else "")
            ),
        },
    )


@require_GET
@with_city
def works_geojson(request: HttpRequest, city: Municipality) -> JsonResponse:
    _district, _kind, _text, works = _work_filters(request, city)
    response = JsonResponse(selectors.works_geojson(city, works))
    response["Vary"] = "Accept-Language"
    return response


@require_GET
@with_city
def work_detail(request: HttpRequest, city: Municipality, pk: int) -> HttpResponse:
    work = selectors.published_works(city).filter(pk=pk).first()
    if work is None:
        raise Http404(_("No such planned work."))
    feature = selectors.works_geojson(city, [work])
    return render(
        request,
        "info/news/work.html",
        {
            "city": city,
            "work": work,
            "map_config": _map_config(city, feature=feature),
            "today": selectors.local_today(city),
        },
    )


def _coordinate(value: str | None, limit: float) -> float | None:
    try:
        number = float((value or "").replace(",", "."))
    except ValueError:
        return None
    return number if -limit <= number <= limit else None


@require_GET
@with_city
def works_near(request: HttpRequest, city: Municipality) -> HttpResponse:
    """Works planned around a point: the report form asks while a resident places the pin (htmx), a
    report's page shows the same. Empty coordinates (no pin yet) give an empty answer; wrong ones a 400."""
    raw_lat, raw_lon = request.GET.get("lat", ""), request.GET.get("lon", "")
    if not raw_lat.strip() and not raw_lon.strip():
        nearby = None
    else:
        lat, lon = _coordinate(raw_lat, 90), _coordinate(raw_lon, 180)
        if lat is None or lon is None:
            return HttpResponseBadRequest(_("Latitude and longitude must be numbers on the map."))
        nearby = selectors.works_near(city, lat, lon)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {
                "works": [
                    {
                        "id": n.work.pk,
                        "kind": n.work.kind,
                        "title": n.work.title,
                        "ends": n.work.ends_on.isoformat(),
                        "metres": n.metres,
                    }
                    for n in nearby or []
                ]
            }
        )
    return render(request, "info/news/_works_near.html", {"nearby": nearby})


# The same limit as the notifications' area alerts ("alert"), which this is for news.
@ratelimit.per_client("alert")
@require_http_methods(["GET", "POST"])
@with_city
def subscribe(request: HttpRequest, city: Municipality) -> HttpResponse:
    form = SubscribeForm(request.POST or None, city=city)
    if honeypot.caught(request):
        messages.success(request, SUBSCRIBED)  # a bot learns nothing
        return redirect("news:list")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscription_create(
                municipality=city,
                email=data["email"],
                language=(get_language() or "ru")[:2],
                district=data["district"],
                lat=data["lat"],
                lon=data["lon"],
                radius_m=data["radius_m"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            # The same answer whether the address was new or not: the page tells nobody who is subscribed.
            messages.success(
                request, _("Done. Check your mailbox: a new address is asked to confirm itself first.")
            )
            return redirect("news:list")
    district_slug = request.GET.get("district")
    if district_slug and not form.is_bound:
        district = district_or_404(city, district_slug)
        form.initial["district"] = district.pk if district else None
    return render(
        request,
        "info/news/subscribe.html",
        {"city": city, "form": form, "map_config": _map_config(city)},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@with_city
def unsubscribe(request: HttpRequest, city: Municipality, token: str) -> HttpResponse:
    """GET asks, POST stops: mail scanners that open every link must not unsubscribe anyone."""
    pk = services.read_unsubscribe_token(token)
    subscription = AreaSubscription.objects.filter(pk=pk).first() if pk is not None else None
    if subscription is None:
        return render(request, "info/news/unsubscribe.html", {"city": city, "invalid": True}, status=404)
    done = False
    if request.method == "POST":
        services.subscription_cancel(subscription_id=subscription.pk)
        done = True
    return render(
        request, "info/news/unsubscribe.html", {"city": city, "subscription": subscription, "done": done}
    )
