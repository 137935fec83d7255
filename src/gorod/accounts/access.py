"""Gates for views. Staff pages need a signed-in staff account whose session passed the second factor
(django-otp's TOTP); `accounts` owns the sign-in, 2FA set-up and verification pages these redirect to."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from gorod.accounts.roles import is_staff_member, needs_second_factor

logger = logging.getLogger("gorod.accounts")


def _to(name: str, request, next_url: str | None = None):
    return redirect(f"{reverse(name)}?{urlencode({'next': next_url or request.get_full_path()})}")


def staff_required(view):
    """Signed in, a staff role, and verified by a second factor in this session; 403 for citizens."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return _to("accounts:login", request)
        if not is_staff_member(user):
            raise PermissionDenied
        if not user.is_verified():
            return _to("accounts:otp", request)
        return view(request, *args, **kwargs)

    return wrapped


def account_required(view):
    """Signed in; a staff account must also have passed its second factor in this session (a staff
    member's own account page is as sensitive as the back office)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return _to("accounts:login", request)
        if needs_second_factor(user) and not user.is_verified():
            return _to("accounts:otp", request)
        return view(request, *args, **kwargs)

    return wrapped


def asked_next(request) -> str:
    """The `next` parameter if it points into this site, else "". Refuses other hosts, other schemes,
    `//host` and backslash tricks (url_has_allowed_host_and_scheme), and pages that would loop back into
    signing in or out."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        loops = (reverse("accounts:login"), reverse("accounts:logout"), reverse("accounts:otp"))
        if not target.startswith(loops):  # the sign-in link pages live under the login URL too
            return target
    if target:
        logger.warning("redirect target refused (not on this site, or a sign-in page)")
    return ""


def landing_for(user) -> str:
    """Where a person lands after signing in when no page asked for them: staff at their work
    (settings.GOROD_STAFF_LANDING_URL, the back office, which sends each role on to its queue), everyone
    else on their account page (settings.LOGIN_REDIRECT_URL)."""
    if is_staff_member(user):
        return resolve_url(settings.GOROD_STAFF_LANDING_URL)
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@dataclass(frozen=True)
class Desk:
    """Who works at a staff desk, and for which municipality: what a `desk_view` passes to its view."""

    user: Any
    municipality: Any  # city.Municipality


def own_municipality(user):
    """The account's own city, else the installation's default (never the host's: docs/decisions.md,
    back-office isolation)."""
    from gorod.city import selectors as city_selectors

    return user.municipality if user.municipality_id else city_selectors.default_municipality()


def desk_view(permission: str, municipality_of: Callable = own_municipality):
    """Staff with a second factor who hold `permission`, working in their city's time zone; the view is
    called as view(request, Desk(user, municipality), ...). 403 without the permission or a city."""

    def decorator(view):
        @staff_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.has_perm(permission):
                raise PermissionDenied
            city = municipality_of(user)
            if city is None:
                raise PermissionDenied
            timezone.activate(ZoneInfo(city.timezone))
            try:
                return view(request, Desk(user, city), *args, **kwargs)
            finally:
                timezone.deactivate()

        return wrapper

    return decorator
