"""The text-in desk in the back office (/backoffice/text-in/): the keyword table (city administrators add
keywords and switch them off), the recent messages with the sender's number masked, barring a number
(moderators), and a number's data on request (export and erasure, city administrators). Other staff read.
Consultations sits below the backoffice app, so these pages live here and borrow its layout, as the
stories desk does."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gorod.accounts import access
from gorod.accounts.access import Desk
from gorod.consultations.errors import Refused
from gorod.consultations.textin import gateways, phones, selectors, services
from gorod.consultations.textin.models import Keyword, NumberBan

desk_view = access.desk_view("consultations.view_staff")


def _int(value: str) -> int:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 18 else 0


def _until(value: str) -> dt.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Refused(_("Give the end date as YYYY-MM-DD."), field="until") from exc
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _act(request: HttpRequest, desk: Desk) -> HttpResponse | str:
    """One POST action; returns a response (a download) or the message to show."""
    action = request.POST.get("action", "")
    city, user = desk.municipality, desk.user
    if action == "keyword":
        module = selectors.target_modules(city).filter(pk=_int(request.POST.get("module", ""))).first()
        keyword = services.keyword_add(
            municipality=city, word=request.POST.get("word", ""), module=module, actor=user
        )
        return _("The keyword %(w)s is on.") % {"w": keyword.word}
    if action in ("keyword-off", "keyword-on"):
        found = Keyword.objects.filter(municipality=city, pk=_int(request.POST.get("keyword", ""))).first()
        if found is None:
            raise Refused(_("No such keyword."))
        services.keyword_set_active(keyword=found, active=action == "keyword-on", actor=user)
        return _("Saved.")
    if action == "ban":
        message = selectors.message_of(city, _int(request.POST.get("message", "")))
        if message is None:
            raise Refused(_("No such message."))
        services.number_ban(
            message=message,
            reason=request.POST.get("reason", ""),
            until=_until(request.POST.get("until", "")),
            actor=user,
        )
        return _("The number is barred; its messages are answered with the reason.")
    if action == "unban":
        ban = NumberBan.objects.filter(municipality=city, pk=_int(request.POST.get("ban", ""))).first()
        if ban is None:
            raise Refused(_("No such ban."))
        services.number_unban(ban=ban, actor=user)
        return _("The ban is lifted.")
    if action == "export":
        exported = services.number_export(municipality=city, phone=request.POST.get("phone", ""), actor=user)
        response = HttpResponse(
            json.dumps(exported, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="text-messages.json"'
        response["Cache-Control"] = "no-store"
        return response
    if action == "erase":
        if request.POST.get("confirm") != "yes":
            raise Refused(_("Tick the box to confirm the erasure."), field="confirm")
        counts = services.number_erase(municipality=city, phone=request.POST.get("phone", ""), actor=user)
        return _("Erased: %(m)d messages, %(c)d contributions.") % {
            "m": counts["messages"],
            "c": counts["ideas"] + counts["questions"],
        }
    raise Refused(_("Unknown action."))


@require_http_methods(["GET", "POST"])
@desk_view
def desk(request: HttpRequest, desk: Desk) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            outcome = _act(request, desk)
        except Refused as exc:
            error = exc.message
        else:
            if isinstance(outcome, HttpResponse):
                return outcome
            messages.success(request, outcome)
            return redirect("textin-desk:desk")
    user = desk.user
    recent = selectors.recent_messages(desk.municipality)
    for row in recent:
        row.shown_as = phones.mask(row.phone) if row.phone else "—"  # type: ignore[attr-defined]
    return render(
        request,
        "consultations/textin/desk.html",
        {
            "desk": desk,
            "error": error,
            "posted": request.POST if error else {},
            "number": settings.GOROD_SMS_NUMBER,
            "gateway": gateways.configured_name(),
            "keywords": list(selectors.keywords(desk.municipality)),
            "modules": list(selectors.target_modules(desk.municipality)),
            "recent": recent,
            "bans": list(selectors.bans(desk.municipality)),
            "may_manage": user.has_perm("consultations.manage"),
            "may_moderate": user.has_perm("consultations.moderate"),
        },
        status=400 if error else 200,
    )
