"""Account pages: sign-in (password or e-mailed link), sign-up, the staff second factor and the password.
The account page itself, with what a person has in the other apps, is privacy's. Thin: parse, call one
service or selector, render."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from gorod.accounts import selectors, services
from gorod.accounts.access import account_required, asked_next, landing_for
from gorod.accounts.forms import (
    LinkRequestForm,
    LoginForm,
    OtpForm,
    PasswordChangeForm,
    SignUpForm,
    add_service_errors,
)
from gorod.accounts.otp import qr_svg, secret_text
from gorod.accounts.roles import needs_second_factor
from gorod.core import crypto, honeypot, ratelimit

logger = logging.getLogger("gorod.accounts")
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
LINK_MESSAGES = {
    "unknown": gettext_lazy(
        "This sign-in link is not valid. Copy the whole link from the e-mail, or ask for a new one."
    ),
    "used": gettext_lazy("This sign-in link has already been used. Each link works once: ask for a new one."),
    "expired": gettext_lazy(
        "This sign-in link has expired. Ask for a new one: links work for %(minutes)d minutes."
    ),
    "inactive": gettext_lazy("This account is closed."),
}


def _after_sign_in(user, next_url: str):
    """Staff go through the second factor straight after the first one; citizens go where they were."""
    if needs_second_factor(user):
        return redirect(f"{reverse('accounts:otp')}?{urlencode({'next': next_url})}")
    return redirect(next_url)


# --- signing in and out -----------------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = asked_next(request)  # "" when no page asked: where one lands depends on who signs in
    user = request.user
    if request.method == "GET" and user.is_authenticated:
        target = next_url or landing_for(user)
        return _after_sign_in(user, target) if not user.is_verified() else redirect(target)
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        identifier = form.cleaned_data["username"]
        account = selectors.user_for_sign_in(identifier)
        # django-axes counts failures per username: an address without an account is counted under a
        # keyed hash of it, so no typed-in e-mail is ever stored by axes.
        username = account.get_username() if account else "unknown-" + crypto.lookup_hash(identifier)[:20]
        authed = authenticate(request, username=username, password=form.cleaned_data["password"])
        if authed is not None:
            login(request, authed)
            logger.info("password sign-in (user id=%s)", authed.pk)
            return _after_sign_in(authed, next_url or landing_for(authed))
        if getattr(request, "axes_locked_out", False):
            # axes' middleware replaces this answer with the lockout page (accounts/lockout.py).
            logger.warning("password sign-in refused: locked out after too many failures")
        else:
            logger.warning("password sign-in refused: wrong username or password")
        form.add_error(
            None, _("The username or e-mail and the password do not match. Check them and try again.")
        )
        status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("home")


def _link_sent(request, *, signup: bool):
    return render(request, "accounts/link_sent.html", {"minutes": services.link_minutes(), "signup": signup})


@never_cache
@ratelimit.per_client("sign_in_link")
@require_http_methods(["GET", "POST"])
def link_request(request):
    if honeypot.caught(request):
        return _link_sent(request, signup=False)
    form = LinkRequestForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.sign_in_link_send(email=form.cleaned_data["email"], language=request.LANGUAGE_CODE)
        except services.AccountInvalid as exc:
            add_service_errors(form, exc)
        else:
            return _link_sent(request, signup=False)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/link_request.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def link_use(request, token: str):
    """GET asks to press a button (mail scanners open links: they must not spend one); POST signs in."""
    if request.method == "GET":
        reason = selectors.link_refusal(token)
        if reason is None:
            return render(request, "accounts/link_confirm.html")
        logger.warning("sign-in link page: %s", reason)
        return _link_refused(request, reason)
    try:
        user = services.sign_in_link_use(token=token)
    except services.LinkRefused as exc:
        return _link_refused(request, exc.reason)
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, _("You are signed in."))
    return _after_sign_in(user, landing_for(user))


def _link_refused(request, reason: str):
    message = str(LINK_MESSAGES[reason])
    if reason == "expired":
        message = message % {"minutes": services.link_minutes()}
    status = 404 if reason == "unknown" else 410
    return render(request, "accounts/link_refused.html", {"message": message}, status=status)


@never_cache
@ratelimit.per_client("signup")
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    if honeypot.caught(request):
        return _link_sent(request, signup=True)
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.citizen_sign_up(
                email=data["email"],
                password=data["password"],
                display_name=data["display_name"],
                language=request.LANGUAGE_CODE,
                consents=form.consents(),
            )
        except services.AccountInvalid as exc:
            add_service_errors(form, exc)
        else:
            return _link_sent(request, signup=True)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


# --- the second factor of staff ---------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def otp_view(request):
    user = request.user
    next_url = asked_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
    if not user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
    if not needs_second_factor(user) or user.is_verified():
        return redirect(next_url)
    form = OtpForm(request.POST if request.method == "POST" else None)
    if selectors.totp_device(user) is None:
        return _otp_enrol(request, form, next_url)
    if form.is_valid():
        try:
            device = services.otp_check(user=user, code=form.cleaned_data["code"])
        except services.OtpRefused as exc:
            form.add_error("code", str(exc))
        else:
            otp_login(request, device)
            return redirect(next_url)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url}, status=status)


def _otp_enrol(request, form, next_url: str):
    user = request.user
    device = services.totp_enrolment_start(user=user)
    if form.is_valid():
        try:
            device, codes = services.totp_enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except services.OtpRefused as exc:
            form.add_error("code", str(exc))
        else:
            otp_login(request, device)
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next": next_url, "first": True}
            )
    context = {
        "form": form,
        "next": next_url,
        "qr": qr_svg(device, title=_("QR code for your authenticator app")),
        "secret": secret_text(device),
    }
    return render(
        request, "accounts/otp_enrol.html", context, status=400 if request.method == "POST" else 200
    )


@require_POST
@account_required
def backup_codes(request):
    if not needs_second_factor(request.user):
        raise PermissionDenied
    try:
        codes = services.backup_codes_regenerate(user=request.user)
    except services.OtpRefused as exc:
        messages.error(request, str(exc))
        return redirect(settings.LOGIN_REDIRECT_URL)
    response = render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "next": resolve_url(settings.LOGIN_REDIRECT_URL)},
    )
    response["Cache-Control"] = "no-store"
    return response


# --- password ---------------------------------------------------------------------------------------------
@never_cache
@account_required
@require_http_methods(["GET", "POST"])
def password(request):
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = services.password_change(
                user=request.user, old_password=data["old_password"], new_password=data["new_password"]
            )
        except services.AccountInvalid as exc:
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, user)  # stay signed in here; other sessions end
            messages.success(request, _("Your password has been changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password.html", {"form": form}, status=status)
