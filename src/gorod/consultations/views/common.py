"""What every consultations page needs: the city (a 404 page that says how to load one otherwise), in its
time zone, and the project from the URL."""

from __future__ import annotations

import functools
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.city import selectors as city_selectors
from gorod.consultations import selectors
from gorod.consultations.models import Project
from gorod.core.tiles import tile_config


def with_city(view):
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        city = city_selectors.default_municipality()
        if city is None:
            return render(request, "no_city.html", status=404)
        timezone.activate(ZoneInfo(city.timezone))
        try:
            return view(request, city, *args, **kwargs)
        finally:
            timezone.deactivate()

    return wrapper


def project_or_404(request: HttpRequest, city, slug: str) -> Project:
    staff = request.user.has_perm("consultations.view_staff")
    project = selectors.project_page(city, slug, staff=staff)
    if project is None:
        raise Http404(_("No such project."))
    return project


def map_config(city, **extra) -> dict:
    return {
        "center": [city.center_lat, city.center_lon],
        "zoom": city.default_zoom,
        **tile_config(),
        "districts": reverse("reports-districts"),
        **extra,
    }
