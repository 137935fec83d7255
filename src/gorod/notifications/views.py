"""Account-facing notification pages: my follows and alerts, following a report, the e-mail follow
confirmation and one-click unsubscribe. Thin: parse, call one service, render or redirect."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from gorod.city import selectors as city_selectors
from gorod.core import honeypot, ratelimit
from gorod.core.tiles import tile_config
from gorod.notifications import links, selectors, services
from gorod.notifications.forms import AlertForm, FollowEmailForm
from gorod.reports.models import Report

log = logging.getLogger(__name__)


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _page() -> dict:
    """The city for the page header, as every public page shows it."""
    return {"city": city_selectors.default_municipality()}


def _report_or_404(report_id: int) -> Report:
    if report_id >= 2**63:  # larger ids overflow the database integer
        raise Http404(_("There is no report with this number."))
    report = Report.objects.select_related("municipality", "category").filter(pk=report_id).first()
    if report is None:
        raise Http404(_("There is no report with this number."))
    return report


def _map_config(city) -> dict:
    return {
        "center": [city.center_lat, city.center_lon],
        "zoom": city.default_zoom,
        **tile_config(),
        "districts": reverse("reports-districts"),
        "i18n": {"pin": _("The centre of the area")},
    }


def _mine(request: HttpRequest, form: AlertForm | None = None, status: int = 200) -> HttpResponse:
    city = city_selectors.default_municipality()
    if city is None:
        return render(request, "no_city.html", status=404)
    timezone.activate(ZoneInfo(city.timezone))
    if form is None:
        form = AlertForm(districts=city_selectors.districts_of(city))
    alerts = list(selectors.alerts_of(request.user))
    context = {
        "city": city,
        "follows": list(selectors.follows_of(request.user)[:200]),
        "alerts": alerts,
        "form": form,
        "map_config": _map_config(city),
    }
    return render(request, "notifications/mine.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    return _mine(request)


@ratelimit.per_client("alert")
@login_required
@require_POST
def alert_new(request: HttpRequest) -> HttpResponse:
    city = city_selectors.default_municipality()
    if city is None:
        raise Http404
    form = AlertForm(request.POST, districts=city_selectors.districts_of(city))
    if not form.is_valid():
        return _mine(request, form, status=400)
    data = form.cleaned_data
    is_district = data["kind"] == "district"
    try:
        services.alert_create(
            user=request.user,
            municipality=city,
            frequency=data["frequency"],
            district=data["district"] if is_district else None,
            lat=None if is_district else data["lat"],
            lon=None if is_district else data["lon"],
            radius_m=None if is_district else data["radius_m"],
            language=_language(),
        )
    except services.NotificationInvalid as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(None if field in ("__all__", "location") else field, error)
        return _mine(request, form, status=400)
    messages.success(request, _("The alert is saved."))
    return redirect("notifications:mine")


@login_required
@require_POST
def alert_delete(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's alert is "not found", not "forbidden": ids of others are none of our business.
    if not services.alert_delete(alert_id=pk, user=request.user):
        raise Http404
    messages.success(request, _("The alert is deleted."))
    return redirect("notifications:mine")


def _back(report_id: int, request: HttpRequest) -> HttpResponse:
    if request.POST.get("next") == "mine":
        return redirect("notifications:mine")
    return redirect("report-detail", report_id)


@ratelimit.per_client("follow")
@require_POST
def follow(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(report_id)
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={reverse('report-detail', args=[report.pk])}")
    if request.POST.get("action") == "unfollow":
        services.unfollow_user(report=report, user=request.user)
        messages.success(request, _("You no longer follow this report."))
    else:
        services.follow_user(report=report, user=request.user, language=_language())
        messages.success(request, _("You follow this report: we will e-mail you when it changes."))
    return _back(report.pk, request)


@ratelimit.per_client("follow")
@require_POST
def follow_email(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_404(report_id)
    if honeypot.caught(request):
        return _follow_email_sent(request, report)
    form = FollowEmailForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address to follow the report."))
        return redirect("report-detail", report.pk)
    try:
        services.follow_by_email(report=report, email=form.cleaned_data["email"], language=_language())
    except services.NotificationInvalid:
        messages.error(request, _("Enter a valid e-mail address to follow the report."))
        return redirect("report-detail", report.pk)
    return _follow_email_sent(request, report)


def _follow_email_sent(request: HttpRequest, report: Report) -> HttpResponse:
    # The same words whether or not the address already follows: the page must not tell who does.
    messages.success(
        request, _("Check your mailbox: open the link we sent to confirm that you follow the report.")
    )
    return redirect("report-detail", report.pk)


@ratelimit.per_client("follow")
@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners open links, and must not confirm on someone's behalf.
    if request.method == "GET":
        valid, error = True, ""
        try:
            links.read_confirm(token)
        except signing.SignatureExpired:
            valid, error = False, _("This link has expired. Ask for a new one on the report's page.")
        except signing.BadSignature:
            valid, error = False, _("This link is not valid.")
        context = _page() | {"valid": valid, "error": error}
        return render(request, "notifications/follow_confirm.html", context, status=200 if valid else 400)
    try:
        follow = services.follow_confirm(token=token)
    except services.NotificationInvalid as exc:
        log.info("refused follow confirmation link")
        context = _page() | {"valid": False, "error": exc.messages[0]}
        return render(request, "notifications/follow_confirm.html", context, status=400)
    messages.success(request, _("Done: you will get an e-mail when this report changes."))
    return redirect("report-detail", follow.report_id)


def _describe(kind: str, target) -> str:
    if target is None:
        return _("This subscription has already been stopped.")
    if kind == links.FOLLOW:
        return _("E-mails about report №%(id)s, which you follow.") % {"id": target.report_id}
    if kind == links.ALERT:
        if target.district_id:
            return _("Alerts about new reports in the district %(name)s.") % {"name": target.district.label}
        return _("Alerts about new reports within %(r)d m of a point.") % {"r": target.radius_m or 0}
    return _("E-mails about your report №%(id)s.") % {"id": target.pk}


@csrf_exempt  # RFC 8058: mail providers POST here with no cookie; the signed token is the authority
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        kind, target = services.unsubscribe_target(token=token)
    except services.NotificationInvalid as exc:
        log.info("refused unsubscribe link")
        return render(
            request, "notifications/unsubscribe.html", _page() | {"error": exc.messages[0]}, status=400
        )
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(
            request,
            "notifications/unsubscribe.html",
            _page() | {"done": True, "what": _describe(kind, target)},
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        _page() | {"token": token, "what": _describe(kind, target), "gone": target is None},
    )


# --- an address as a whole: confirm it, or stop every mail to it ------------------------------------------
def _address_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    return render(request, "notifications/address.html", _page() | context, status=status)


@require_http_methods(["GET", "POST"])
def address_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners open links, and must not confirm on someone's behalf.
    try:
        if request.method == "GET":
            services.address_target(token=token, salt=links.ADDRESS_CONFIRM_SALT)
            return _address_page(request, {"mode": "confirm", "token": token})
        address = services.address_confirm(token=token)
    except services.NotificationInvalid as exc:
        log.info("refused address confirmation link")
        return _address_page(request, {"mode": "confirm", "error": exc.messages[0]}, status=400)
    stop = links.address_token(address.pk, salt=links.ADDRESS_STOP_SALT)
    return _address_page(request, {"mode": "confirmed", "stop_token": stop})


@csrf_exempt  # RFC 8058: mail providers POST here with no cookie; the signed token is the authority
@require_http_methods(["GET", "POST"])
def address_stop(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "GET":
            address = services.address_target(token=token, salt=links.ADDRESS_STOP_SALT)
            return _address_page(
                request, {"mode": "stop", "token": token, "stopped": address.state == address.State.STOPPED}
            )
        address = services.address_stop(token=token)
    except services.NotificationInvalid as exc:
        log.info("refused address stop link")
        return _address_page(request, {"mode": "stop", "error": exc.messages[0]}, status=400)
    # Undo: confirming the address again (a fresh confirmation token, shown only to whoever held the link).
    undo = links.address_token(address.pk, salt=links.ADDRESS_CONFIRM_SALT)
    return _address_page(request, {"mode": "stopped", "undo_token": undo})
