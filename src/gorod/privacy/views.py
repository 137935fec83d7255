"""The account page (what a person has filed, follows and is alerted about, their consents and their
sign-in settings), the consent answers, the data export and the erasure. Thin: parse, call one service
or selector, render."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gorod.accounts import invitations
from gorod.accounts import selectors as account_selectors
from gorod.accounts.access import account_required
from gorod.accounts.consent import REQUESTS
from gorod.accounts.forms import add_service_errors
from gorod.accounts.roles import needs_second_factor
from gorod.accounts.services import AccountInvalid
from gorod.core import clock
from gorod.notifications.selectors import alerts_of, follows_of
from gorod.privacy import selectors, services
from gorod.privacy.forms import ConsentForm, EraseForm

logger = logging.getLogger("gorod.privacy")


@never_cache
@account_required
def account(request):
    user = request.user
    page = Paginator(selectors.reports_of(user), 20).get_page(request.GET.get("page"))
    today = clock.today()
    rows = [(report, selectors.awaiting_confirmation(report, today)) for report in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "follows": list(follows_of(user)[:50]),
        "alerts": list(alerts_of(user)[:50]),
        "staff": needs_second_factor(user),
        "reviews": invitations.review_links(user),
        "consents": [
            (REQUESTS[purpose], given) for purpose, given in account_selectors.consents_of(user).items()
        ],
    }
    if context["staff"]:
        context["device"] = account_selectors.totp_device(user)
        context["codes_left"] = account_selectors.backup_codes_left(user)
    return render(request, "privacy/account.html", context)


@never_cache
@account_required
def export(request):
    archive = services.account_export_zip(user=request.user)
    response = FileResponse(
        archive, as_attachment=True, filename="gorod-my-data.zip", content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    logger.info("data export (user id=%s)", request.user.pk)
    return response


@account_required
@require_POST
def consent(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("This consent form is not valid."))
    services.consent_change(
        user=request.user,
        purpose=form.cleaned_data["purpose"],
        given=form.cleaned_data["given"],
        language=request.LANGUAGE_CODE,
    )
    messages.success(
        request, _("Thank you: your consent is recorded.") if form.cleaned_data["given"] else _("Withdrawn.")
    )
    return redirect("privacy:account")


@never_cache
@account_required
@require_http_methods(["GET", "POST"])
def erase(request):
    user = request.user
    staff = needs_second_factor(user) or user.is_superuser
    form = EraseForm(request.POST if request.method == "POST" and not staff else None)
    if form.is_valid():
        try:
            services.account_erase(user=user, password=form.cleaned_data["password"])
        except AccountInvalid as exc:
            add_service_errors(form, exc)
        else:
            logout(request)
            messages.success(
                request, _("Your account has been deleted. Your reports stay, without your name or contacts.")
            )
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/erase.html", {"form": form, "staff": staff}, status=status)
