"""How django-axes stops password guessing here (settings AXES_*, docs/security.md).

Failures are counted per account+address and per account, never per address alone: behind the city's
reverse proxy many residents share one address, and a per-address lock let one attacker lock out the
whole city. Each count has its own limit. The account+address limit (AXES_FAILURE_LIMIT) stops one
source quickly without touching the owner elsewhere; the higher account-wide limit
(GOROD_LOGIN_FAILURES_PER_ACCOUNT) caps guessing spread over many addresses. A locked-out owner still
signs in with the e-mailed link, which the lockout page offers."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

ACCOUNT = "username"  # the one lockout parameter with the account-wide limit


class AccountLockout(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Axes compares one number with AXES_FAILURE_LIMIT. The account-wide count is scaled so that it
        reaches that limit exactly when it reaches its own (floor(n*L/A) >= L iff n >= A)."""
        limit = get_failure_limit(request, credentials)
        per_account = int(settings.GOROD_LOGIN_FAILURES_PER_ACCOUNT)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == ACCOUNT:
                failures = failures * limit // per_account
            worst = max(worst, failures)
        return worst


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the site's page, which never names the account and offers the link."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 3600
    context = {"minutes": max(1, (seconds + 59) // 60)}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
