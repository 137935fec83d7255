"""Pages of a room: the room (the slide shown on Leaflet or Photo Sphere Viewer, every pin listed as plain
text with replies), pinning and replying, the invitation link, and the staff page (dates, invite-only,
slides, invitations). Views parse, call one service or selector, and go back to the page with a message."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gorod.accounts.access import staff_required
from gorod.consultations.errors import Refused
from gorod.consultations.models import Module
from gorod.consultations.phases import Action
from gorod.consultations.room import gate, places, selectors, services, slides
from gorod.consultations.room.models import SlideKind
from gorod.consultations.views.common import with_city
from gorod.consultations.views.contribution import module_or_404
from gorod.core import ratelimit

KIND = services.KIND


def _url(module: Module, name: str = "room", anchor: str = "", **query) -> str:
    url = reverse(f"consultations:{name}", args=[module.phase.project.slug, module.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return f"{url}#{anchor}" if anchor else url


def _done(request: HttpRequest, url: str, write, message: str) -> HttpResponse:
    try:
        write()
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect(url)


@require_GET
@with_city
def page(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = module_or_404(request, city, slug, pk, KIND)
    read_refusal = gate.refusal(request.user, module, Action.READ)
    room = gate.room_of(module)
    context = {
        "city": city,
        "module": module,
        "project": module.phase.project,
        "room": room,
        "read_refusal": read_refusal,
        "may_moderate": request.user.has_perm("consultations.moderate"),
        "can_manage": request.user.has_perm("consultations.manage"),
        "PANORAMA_VIEWER": settings.GOROD_PANORAMA_VIEWER,
    }
    if read_refusal is not None:
        return render(request, "consultations/room/page.html", context, status=403)
    slide_list = selectors.slides(module)
    current = next((s for s in slide_list if str(s.pk) == request.GET.get("slide")), None)
    current = current or (slide_list[0] if slide_list else None)
    pin_list = selectors.pins(module, user=request.user, slide_list=slide_list)
    comment_refusal = gate.refusal(request.user, module, Action.COMMENT)
    context.update(
        {
            "slides": slide_list,
            "current": current,
            "pins": pin_list,
            "current_pins": [p for p in pin_list if current and p.slide_id == current.pk],
            "comment_refusal": comment_refusal,
            "may_comment": comment_refusal is None,
            "regions": [(k, v[0]) for k, v in places.REGIONS.items()],
            "directions": [(k, v[0]) for k, v in places.DIRECTIONS.items()],
            "viewer": _viewer_config(current, pin_list) if current else None,
        }
    )
    return render(request, "consultations/room/page.html", context)


def _viewer_config(slide, pin_list) -> dict:
    return {
        "kind": slide.kind,
        "image": slide.image.url,
        "width": slide.width,
        "height": slide.height,
        "pins": [
            {
                "id": p.pk,
                "n": p.number,
                "x": p.x,
                "y": p.y,
                "yaw": p.yaw,
                "pitch": p.pitch,
                "text": "" if p.hidden else p.text[:140],
                "where": p.where,
            }
            for p in pin_list
            if p.slide_id == slide.pk
        ],
        "labels": {
            "chosen": _("Point chosen on the picture. Write your comment and send it."),
            "pin": _("Pinned comment"),
            "failed": _(
                "The panorama viewer could not start in this browser; the comments are listed below."
            ),
        },
    }


def _room_for_write(request: HttpRequest, city, slug: str, pk: int) -> Module:
    module = module_or_404(request, city, slug, pk, KIND)
    return module


@require_POST
@ratelimit.per_client("contribution")
@with_city
def pin_view(request: HttpRequest, city, slug: str, pk: int, slide: int) -> HttpResponse:
    module = _room_for_write(request, city, slug, pk)
    row = selectors.slide_of(module, slide)
    if row is None:
        raise Http404(_("No such slide."))
    row.module = module
    if not request.user.is_authenticated:
        return redirect_to_login(_url(module, slide=row.pk))
    post = request.POST
    made: list = []

    def write() -> None:
        made.append(
            services.pin_add(
                slide=row,
                user=request.user,
                text=post.get("text", ""),
                x=post.get("x"),
                y=post.get("y"),
                yaw=post.get("yaw"),
                pitch=post.get("pitch"),
                region=post.get("region", ""),
            )
        )

    try:
        write()
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect(_url(module, anchor="pin-form", slide=row.pk))
    messages.success(request, _("Your comment is pinned."))
    return redirect(_url(module, anchor=f"pin-{made[0].pk}", slide=row.pk))


@require_POST
@ratelimit.per_client("contribution")
@with_city
def reply_view(request: HttpRequest, city, slug: str, pk: int, pin: int) -> HttpResponse:
    module = _room_for_write(request, city, slug, pk)
    row = selectors.pin_of(module, pin)
    if row is None:
        raise Http404(_("No such comment."))
    row.slide.module = module
    if not request.user.is_authenticated:
        return redirect_to_login(_url(module, slide=row.slide_id))
    return _done(
        request,
        _url(module, anchor=f"pin-{row.pk}", slide=row.slide_id),
        lambda: services.reply_add(pin=row, user=request.user, text=request.POST.get("text", "")),
        _("Your reply is published."),
    )


@never_cache
@require_http_methods(["GET", "POST"])
@with_city
def invitation_view(request: HttpRequest, city, slug: str, pk: int, token: str) -> HttpResponse:
    """GET asks to press a button (mail scanners open links and must not use an invitation); POST, signed
    in, makes the person a member. The token is in the path only and never logged: a live token is always
    answered with 200 (Django logs the path of 4xx answers); an unknown one, worth nothing, with 404."""
    module = module_or_404(request, city, slug, pk, KIND)
    context = {"city": city, "module": module, "project": module.phase.project}
    if services.invitation_for(module, token) is None:
        context["invalid"] = True
        return render(request, "consultations/room/invitation.html", context, status=404)
    if request.method == "GET" or not request.user.is_authenticated:
        return render(request, "consultations/room/invitation.html", context)
    try:
        services.invitation_accept(module=module, token=token, user=request.user)
    except Refused as exc:
        # 200, not 403: Django logs the path of every 4xx answer, and this path holds a live token.
        context["error"] = exc.message
        return render(request, "consultations/room/invitation.html", context)
    messages.success(request, _("Welcome: you can now read and comment in this room."))
    return redirect(_url(module))


# --- staff ----------------------------------------------------------------------------------------------
def _staff_module(request: HttpRequest, city, slug: str, pk: int) -> Module:
    if not request.user.has_perm("consultations.manage"):
        raise PermissionDenied
    return module_or_404(request, city, slug, pk, KIND)


def _when(value: str, field: str) -> dt.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Refused(_("Enter a date and time."), field=field) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@require_GET
@staff_required
@with_city
def staff_page(request: HttpRequest, city, slug: str, pk: int) -> HttpResponse:
    module = _staff_module(request, city, slug, pk)
    room = gate.room_of(module)
    counts = selectors.pin_counts(module)
    slide_list = selectors.slides(module)
    for slide in slide_list:
        slide.pin_count = counts.get(slide.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "consultations/room/staff.html",
        {
            "city": city,
            "module": module,
            "project": module.phase.project,
            "room": room,
            "slides": slide_list,
            "invitations": list(selectors.invitations(module)),
            "kinds": SlideKind.choices,
            "limits": slides.limits_text(),
            "max_slides": services.MAX_SLIDES,
        },
    )


@require_POST
@staff_required
@with_city
def staff_action(request: HttpRequest, city, slug: str, pk: int, action: str) -> HttpResponse:
    module = _staff_module(request, city, slug, pk)
    back = _url(module, "room-staff", anchor=action)
    post = request.POST
    if action == "room":

        def write() -> None:
            services.room_set(
                module=module,
                actor=request.user,
                opens=_when(post.get("opens", ""), "opens"),
                closes=_when(post.get("closes", ""), "closes"),
                invite_only=post.get("invite_only") == "on",
            )

        return _done(request, back, write, _("The room is saved."))
    if action == "invite":
        counts: list[tuple[int, int]] = []

        def invite() -> None:
            counts.append(services.invite(module=module, actor=request.user, emails=post.get("emails", "")))

        try:
            invite()
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            new, before = counts[0]
            messages.success(
                request,
                _("Invitations sent: %(new)d; already invited: %(before)d.") % {"new": new, "before": before},
            )
        return redirect(back)
    if action in ("delete", "up", "down"):
        slide = selectors.slide_of(module, post.get("slide"))
        if slide is None:
            raise Http404(_("No such slide."))
        slide.module = module
        if action == "delete":
            return _done(
                request,
                back,
                lambda: services.slide_delete(slide=slide, actor=request.user),
                _("Slide removed."),
            )
        return _done(
            request,
            back,
            lambda: services.slide_move(slide=slide, actor=request.user, up=action == "up"),
            _("Order saved."),
        )
    if action == "withdraw":
        invitation = selectors.invitations(module).filter(pk=_int(post.get("invitation"))).first()
        if invitation is None:
            raise Http404(_("No such invitation."))
        return _done(
            request,
            back,
            lambda: services.invitation_withdraw(invitation=invitation, actor=request.user),
            _("Invitation withdrawn."),
        )
    raise Http404(_("No such action."))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@csrf_exempt
@require_POST
def slide_upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The size limit must be in place before anything reads the body, and the CSRF check reads it; so the
    check runs after it, in _slide_upload."""
    limit = slides.SlideUploadLimit(request)
    request.upload_handlers.insert(0, limit)
    try:
        request.POST  # noqa: B018 - parse now, under our handler
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, SuspiciousOperation):
        limit.too_big = True
    return _slide_upload(request, slug, pk, limit)


@csrf_protect
@staff_required
@with_city
def _slide_upload(request: HttpRequest, city, slug: str, pk: int, limit) -> HttpResponse:
    module = _staff_module(request, city, slug, pk)
    back = _url(module, "room-staff", anchor="slides")
    if limit.too_big:
        messages.error(
            request, _("The file is larger than %(mb)d MB.") % {"mb": slides.UPLOAD_MAX_BYTES >> 20}
        )
        return redirect(back)
    upload = request.FILES.get("file")
    page_text = (request.POST.get("page") or "").strip()

    def write() -> None:
        if page_text and not page_text.isdigit():
            raise Refused(_("The page is a number."), field="page")
        services.slide_add(
            module=module,
            actor=request.user,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            data=upload.read() if upload else b"",
            page=int(page_text) if page_text else None,
        )

    return _done(request, back, write, _("The slide is added."))
