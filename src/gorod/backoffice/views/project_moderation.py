"""The moderation desk of engagement projects: flagged contributions of every module (oldest flag first,
with counts and reasons), contributions held by pre-moderation, and barred accounts. Moderators and city
administrators act; auditors read; other staff are refused. Each POST calls one consultations service,
which checks the permission again and writes the audit trail."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gorod.accounts.models import User
from gorod.backoffice.selectors.desk import Desk
from gorod.backoffice.views.common import int_or_none, log_refusal, staff_view
from gorod.consultations import contributions, demographics, moderation
from gorod.consultations.errors import Refused
from gorod.consultations.models import Project
from gorod.consultations.views.contribution import anchor_of, page_url


def _may_read(user) -> bool:
    return bool(user.has_perm("consultations.view_moderation"))


@require_GET
@staff_view
def desk(request: HttpRequest, desk: Desk) -> HttpResponse:
    if not _may_read(desk.user):
        raise PermissionDenied
    city = desk.municipality.pk
    bans = moderation.active_bans(city).select_related("user").order_by("-created")[:200]
    flagged, awaiting = moderation.flagged(city), moderation.awaiting(city)
    for row in (*flagged, *awaiting):
        # The item in its place on the public page: a map pin often has no text to judge it by.
        row.url = page_url(row.module, anchor_of(row.target, row.item.pk))
    return render(
        request,
        "backoffice/projects/moderation.html",
        {
            "desk": desk,
            "city": desk.municipality,
            "flagged": flagged,
            "awaiting": awaiting,
            "bans": bans,
            "may_act": desk.user.has_perm("consultations.moderate"),
        },
    )


def _until(value: str) -> dt.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Refused(_("Give the end date as YYYY-MM-DD."), field="until") from exc
    # The ban ends at the start of that day in the city's time zone (the desk works in it).
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _item(request, desk):
    item = moderation.find(
        desk.municipality.pk, request.POST.get("target", ""), int_or_none(request.POST.get("pk"))
    )
    if item is None:
        raise Refused(_("No such contribution."))
    return item


def _hide(request, desk) -> str:
    contributions.hide(item=_item(request, desk), reason=request.POST.get("reason", ""), actor=desk.user)
    return _("Hidden; the reason is shown in its place.")


def _keep(request, desk) -> str:
    contributions.keep(item=_item(request, desk), actor=desk.user)
    return _("Kept as it is; its flags are closed.")


def _publish(request, desk) -> str:
    item = _item(request, desk)
    if not item.awaiting:
        raise Refused(_("This contribution is not awaiting moderation."))
    contributions.show(item=item, actor=desk.user)
    return _("Published.")


def _ban(request, desk) -> str:
    user = None
    pk = int_or_none(request.POST.get("user"))
    if pk is not None:
        user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Refused(_("No such account."), field="user")
    moderation.ban_add(
        municipality=desk.municipality,
        user=user,
        reason=request.POST.get("reason", ""),
        until=_until(request.POST.get("until", "")),
        actor=desk.user,
    )
    return _("The account may no longer take part in the city's projects.")


def _unban(request, desk) -> str:
    ban = moderation.active_bans(desk.municipality.pk).filter(pk=int_or_none(request.POST.get("pk"))).first()
    if ban is None:
        raise Refused(_("No such ban."))
    moderation.ban_lift(ban=ban, actor=desk.user)
    return _("The ban was lifted.")


ACTIONS = {"hide": _hide, "keep": _keep, "publish": _publish, "ban": _ban, "unban": _unban}


@require_POST
@staff_view
def act(request: HttpRequest, desk: Desk, action: str) -> HttpResponse:
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404(_("No such action."))
    if not desk.user.has_perm("consultations.moderate"):
        log_refusal(request, f"consultations_{action}", None, "permission")
        raise PermissionDenied
    try:
        messages.success(request, handler(request, desk))
    except Refused as exc:
        messages.error(request, exc.message)
    return redirect(reverse("backoffice:project-moderation"))


@require_GET
@staff_view
def project_demographics(request: HttpRequest, desk: Desk, slug: str) -> HttpResponse:
    """Counts only, per question, among the project's participants; under MIN_GROUP nothing is shown."""
    if not request.user.has_perm("consultations.view_staff"):
        raise PermissionDenied
    project = Project.objects.filter(municipality=desk.municipality, slug=slug).first()
    if project is None:
        raise Http404(_("No such project."))
    return render(
        request,
        "backoffice/projects/demographics.html",
        {
            "desk": desk,
            "city": desk.municipality,
            "project": project,
            "aggregates": demographics.project_aggregates(project),
            "min_group": demographics.MIN_GROUP,
        },
    )
