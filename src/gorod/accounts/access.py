"""Gates for views. Staff pages need a signed-in staff account whose session passed the second factor
(django-otp's TOTP); `accounts` owns the sign-in, 2FA set-up and verification pages these redirect to."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from gorod.accounts.roles import is_staff_member


def _to(name: str, request):
    from django.urls import reverse

    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


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
