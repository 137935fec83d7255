"""What every back-office view shares: the staff gate that hands each view its desk (who, which city,
which day), refusals in the log, safe redirects, parsing of posted numbers, page links, map settings."""

from __future__ import annotations

import functools
import logging
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from gorod.accounts.access import staff_required
from gorod.backoffice.selectors.desk import desk_for
from gorod.core.tiles import tile_config

logger = logging.getLogger("gorod.backoffice")


def staff_view(view):
    """staff_required (signed in, staff role, second factor) plus the back-office permission; passes a
    Desk and works in the city's time zone."""

    @staff_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm("reports.view_backoffice"):
            raise PermissionDenied
        desk = desk_for(request.user)  # type: ignore[arg-type]
        if desk is None:
            raise PermissionDenied
        timezone.activate(ZoneInfo(desk.municipality.timezone))
        try:
            return view(request, desk, *args, **kwargs)
        finally:
            timezone.deactivate()

    return wrapper


def log_refusal(request: HttpRequest, action: str, report_id: int | None, kind: str) -> None:
    # Ids and the kind of refusal only: never names, texts or contact details.
    logger.warning(
        "backoffice refused %s on report %s by user %s (%s)", action, report_id, request.user.pk, kind
    )


def back_to(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to the form's `next` when it is a back-office page of this site, else to fallback."""
    return redirect(next_or(request, fallback))


def next_or(request: HttpRequest, fallback: str) -> str:
    """The form's `next` if it is a back-office page of this site, else fallback."""
    target = request.POST.get("next") or ""
    if target.startswith("/backoffice/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def map_config(*, center: list[float], zoom: int, **extra: object) -> dict:
    """What backoffice.js needs to draw a map: where, which tiles, then the page's own keys (in the
    order given, so the page's JSON stays the same)."""
    return {
        "center": center,
        "zoom": zoom,
        **tile_config(),
        **extra,
    }


def int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def float_or_none(value: str | None) -> float | None:
    value = (value or "").strip().replace(",", ".")
    if not value or len(value) > 30:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def page_links(page, params: list[tuple[str, str]]) -> dict:
    def url(number: int) -> str:
        return "?" + urlencode([*params, ("page", str(number))])

    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }
