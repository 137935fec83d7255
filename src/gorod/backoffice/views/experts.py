"""Outside experts (/backoffice/experts/): city administrators invite an account of the expert role to
review a budgeting process until a date, and revoke invitations; auditors read the list. The invitation
is data (accounts.invitations): budgeting's permissions read it, so nothing else has to change when an
invitation starts, lapses or is revoked."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gorod.accounts import invitations
from gorod.accounts.models import ExpertInvitation, User
from gorod.accounts.roles import is_city_admin
from gorod.backoffice.views.common import int_or_none, staff_view
from gorod.budgeting.models import Process
from gorod.core import clock


def _processes(desk):
    return Process.objects.filter(municipality=desk.municipality).order_by("-created")


def _of_city(desk):
    """Invitations to this city's processes (another city's are not this desk's to read or revoke)."""
    return ExpertInvitation.objects.filter(
        target_type=ContentType.objects.get_for_model(Process), target_id__in=_processes(desk).values("pk")
    )


def _experts():
    return User.objects.filter(role=User.Role.EXPERT, is_active=True).order_by("username")


@require_http_methods(["GET", "POST"])
@staff_view
def experts(request: HttpRequest, desk) -> HttpResponse:
    if not desk.user.has_perm("reports.audit"):
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        if not is_city_admin(desk.user):
            raise PermissionDenied
        errors = _invite(request, desk)
        if not errors:
            messages.success(request, _("The expert is invited."))
            return redirect("backoffice:experts")
    processes = list(_processes(desk))
    by_process = {p.pk: p for p in processes}
    rows = [
        (invitation, by_process[invitation.target_id])
        for invitation in _of_city(desk).select_related("user", "invited_by").order_by("-created")[:200]
    ]
    context = {
        "desk": desk,
        "rows": rows,
        "processes": processes,
        "experts": list(_experts()),
        "errors": errors,
        "can_invite": is_city_admin(desk.user),
        "now": clock.now(),
    }
    return render(request, "backoffice/experts.html", context, status=400 if errors else 200)


def _invite(request: HttpRequest, desk) -> list[str]:
    """Invite from the posted form; the problems found, or [] when the invitation was made."""
    expert = _experts().filter(pk=int_or_none(request.POST.get("expert")) or 0).first()
    process = _processes(desk).filter(pk=int_or_none(request.POST.get("process")) or 0).first()
    problems = []
    if expert is None:
        problems.append(_("Choose an outside expert's account."))
    if process is None:
        problems.append(_("Choose a budgeting process."))
    until = _date(request.POST.get("until"))
    if until is None:
        problems.append(_("Give the last day of the invitation."))
    if problems or expert is None or process is None or until is None:
        return problems
    # The invitation lasts to the end of its last day in the city's time zone.
    end = dt.datetime.combine(
        until + dt.timedelta(days=1), dt.time(), tzinfo=ZoneInfo(desk.municipality.timezone)
    )
    try:
        invitations.invite(actor=desk.user, expert=expert, target=process, valid_until=end)
    except ValidationError as exc:
        return [m for messages_ in exc.message_dict.values() for m in messages_]
    return []


@require_POST
@staff_view
def revoke(request: HttpRequest, desk, pk: int) -> HttpResponse:
    if not is_city_admin(desk.user):
        raise PermissionDenied
    found = _of_city(desk).filter(pk=pk if pk < 2**63 else 0).first()
    if found is None:
        raise Http404(_("There is no such invitation."))
    invitations.revoke(actor=desk.user, invitation=found)
    messages.success(request, _("The invitation is revoked."))
    return redirect("backoffice:experts")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None
