"""What every back-office view shares: the staff gate, the desk (who, which city, which day), refusals
and safe redirects."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from gorod.accounts.access import staff_required
from gorod.backoffice import selectors
from gorod.city import selectors as city_selectors
from gorod.city.models import Municipality
from gorod.core.calendar import WorkCalendar

logger = logging.getLogger("gorod.backoffice")

# History lines the public page does not have.
EVENT_TITLES = {
    "submit": _("Report received"),
    "accept": _("Accepted after moderation"),
    "reject": _("Rejected"),
    "mark_duplicate": _("Marked as a duplicate"),
    "start": _("Work started"),
    "resolve": _("Marked as resolved"),
    "confirm": _("Fix confirmed"),
    "dispute": _("Fix disputed"),
    "reopen": _("Reopened"),
    "transfer": _("Transferred to another department"),
    "hide_personal_data": _("Personal data hidden"),
    "hide_photo": _("Photo hidden"),
    "show_photo": _("Photo shown again"),
    "assign": _("Assigned"),
    "note": _("Private note"),
    "answer": _("Answer rewritten by the department"),
    "publish_answer": _("Answer published by a moderator"),
    "return_answer": _("Answer sent back to the department"),
}


@dataclass
class Desk:
    """The signed-in staff member's context: their city, its calendar and today's local date."""

    user: Any  # accounts.User (request.user once staff_required has let it through)
    municipality: Municipality
    calendar: WorkCalendar

    @property
    def today(self):
        return selectors.local_today(self.municipality)


def staff_view(view):
    """staff_required (signed in, staff role, second factor) plus the back-office permission; passes a
    Desk and works in the city's time zone."""

    @staff_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm("reports.view_backoffice"):
            raise PermissionDenied
        municipality = selectors.municipality_of(request.user)  # type: ignore[arg-type]
        if municipality is None:
            raise PermissionDenied
        desk = Desk(request.user, municipality, city_selectors.calendar_for(municipality.pk))
        timezone.activate(ZoneInfo(municipality.timezone))
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
    target = request.POST.get("next") or ""
    if target.startswith("/backoffice/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


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
