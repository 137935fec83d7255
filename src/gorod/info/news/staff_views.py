"""The staff's editors of news and planned works, under /backoffice/news/ in the back office's layout.
They live in info because the back office may not import info (sibling layers); only city-wide staff
(info.edit_news: moderators, city administrators) get past the gate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gorod.accounts import access
from gorod.accounts.access import Desk
from gorod.city import selectors as city_selectors
from gorod.city.models import Department, Municipality
from gorod.core import clock
from gorod.core.tiles import tile_config
from gorod.info.news import rules as _rules  # noqa: F401  (registers info.edit_news)
from gorod.info.news import selectors, services
from gorod.info.news.forms import NewsForm, WorkForm
from gorod.info.news.models import NewsItem, PlannedWork


def _municipality_of(user) -> Municipality | None:
    """The department's city, else the account's own, else the installation's default; never the host's
    (docs/decisions.md, back-office isolation), as the back office's desk decides."""
    if getattr(user, "department_id", None):
        department = Department.objects.select_related("municipality").filter(pk=user.department_id).first()
        if department is not None:
            return department.municipality
    if getattr(user, "municipality_id", None):
        return Municipality.objects.filter(pk=user.municipality_id).first()
    return city_selectors.municipality_for_host("")


news_staff_view = access.desk_view("info.edit_news", _municipality_of)


@require_http_methods(["GET"])
@news_staff_view
def staff_home(request: HttpRequest, desk: Desk) -> HttpResponse:
    city = desk.municipality
    return render(
        request,
        "info/news/staff_home.html",
        {
            "desk": desk,
            "items": selectors.all_news(city)[:100],
            "works": PlannedWork.objects.filter(municipality=city)
            .select_related("district")
            .order_by("-ends_on")[:100],
            "now": clock.now(),
            "today": selectors.local_today(city),
        },
    )


def _news_data(form: NewsForm) -> services.NewsData:
    data = form.cleaned_data
    photos = [f.read() for f in data.get("photos") or []]
    return services.NewsData(
        title=data["title"],
        summary=data["summary"],
        body=data["body"],
        published_at=data["published_at"],
        district=data["district"],
        tags=services.parse_tags(data["tags"]),
        photos=photos,
        photo_alts=[data["photo_alt"]] * len(photos),
    )


def _item_or_404(desk: Desk, pk: int) -> NewsItem:
    item = NewsItem.objects.filter(municipality=desk.municipality, pk=pk).first()
    if item is None:
        raise Http404
    return item


@require_http_methods(["GET", "POST"])
@news_staff_view
def news_edit(request: HttpRequest, desk: Desk, pk: int | None = None) -> HttpResponse:
    item = _item_or_404(desk, pk) if pk is not None else None
    initial: dict = {"published_at": timezone.localtime(clock.now()).replace(second=0, microsecond=0)}
    if item is not None:
        initial = {
            "title": item.title,
            "summary": item.summary,
            "body": item.body,
            "district": item.district_id,
            "tags": ", ".join(t.name for t in item.tags.all()),
            "published_at": timezone.localtime(item.published_at),
        }
    form = NewsForm(request.POST or None, request.FILES or None, city=desk.municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.news_create(
                    municipality=desk.municipality, author=request.user, data=_news_data(form)
                )
            else:
                remove = [int(v) for v in request.POST.getlist("remove_photo") if v.isdigit()]
                item = services.news_update(
                    item=item, actor=request.user, data=_news_data(form), remove_photo_ids=remove
                )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The news item is saved."))
            return redirect("news-staff:home")
    return render(
        request,
        "info/news/staff_news_form.html",
        {"desk": desk, "form": form, "item": item},
        status=400 if form.is_bound else 200,
    )


@require_POST
@news_staff_view
def news_delete(request: HttpRequest, desk: Desk, pk: int) -> HttpResponse:
    services.news_delete(item=_item_or_404(desk, pk), actor=request.user)
    messages.success(request, _("The news item is deleted."))
    return redirect("news-staff:home")


def _work_or_404(desk: Desk, pk: int) -> PlannedWork:
    work = PlannedWork.objects.filter(municipality=desk.municipality, pk=pk).first()
    if work is None:
        raise Http404
    return work


@require_http_methods(["GET", "POST"])
@news_staff_view
def work_edit(request: HttpRequest, desk: Desk, pk: int | None = None) -> HttpResponse:
    import json

    work = _work_or_404(desk, pk) if pk is not None else None
    initial: dict = {"published_at": timezone.localtime(clock.now()).replace(second=0, microsecond=0)}
    if work is not None:
        initial = {
            "kind": work.kind,
            "title": work.title,
            "address": work.address,
            "description": work.description,
            "geometry": json.dumps(work.geometry),
            "starts_on": work.starts_on,
            "ends_on": work.ends_on,
            "published_at": timezone.localtime(work.published_at),
        }
    form = WorkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.WorkData(**form.cleaned_data)
        try:
            if work is None:
                services.work_create(municipality=desk.municipality, author=request.user, data=data)
            else:
                services.work_update(work=work, actor=request.user, data=data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The planned work is saved."))
            return redirect("news-staff:home")
    city = desk.municipality
    map_config = {
        "center": [city.center_lat, city.center_lon],
        "zoom": city.default_zoom,
        **tile_config(),
        "districts": reverse("reports-districts"),
        "i18n": {
            "point": _("Point"),
            "line": _("Line"),
            "area": _("Area"),
            "clear": _("Start again"),
        },
    }
    return render(
        request,
        "info/news/staff_work_form.html",
        {"desk": desk, "form": form, "work": work, "map_config": map_config},
        status=400 if form.is_bound else 200,
    )


@require_POST
@news_staff_view
def work_delete(request: HttpRequest, desk: Desk, pk: int) -> HttpResponse:
    services.work_delete(work=_work_or_404(desk, pk), actor=request.user)
    messages.success(request, _("The planned work is deleted."))
    return redirect("news-staff:home")
