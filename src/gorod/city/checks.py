"""Start-up checks of the city settings: a mistyped GOROD_DEFAULT_MUNICIPALITY would otherwise show
every page as "no city yet" with no hint of why."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.db import DatabaseError

from gorod.city.models import Municipality


@register("gorod")
def default_municipality_exists(app_configs=None, **kwargs) -> list[Error]:
    slug = settings.GOROD_DEFAULT_MUNICIPALITY
    if not slug:
        return []
    try:
        # A training sandbox is never the default (city.selectors.municipality_for_host).
        known = list(
            Municipality.objects.filter(is_sandbox=False).order_by("slug").values_list("slug", flat=True)
        )
    except DatabaseError:
        return []  # not migrated yet: nothing to compare with
    if not known or slug in known:
        return []  # before the first import every slug is still to come
    return [
        Error(
            f"GOROD_DEFAULT_MUNICIPALITY is {slug!r}, but no municipality (other than a training sandbox) "
            "has that slug.",
            hint=f"Known slugs: {', '.join(known)}. Set one of them, or import the city file whose "
            f"municipality.slug is {slug!r} with `gorod import_city FILE`.",
            id="gorod.E001",
        )
    ]
