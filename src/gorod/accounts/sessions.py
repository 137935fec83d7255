"""Staff sessions end after GOROD_STAFF_SESSION_IDLE_S without a request; residents' keep Django's
SESSION_COOKIE_AGE (docs/security.md).

An idle limit means moving the session's end on activity, which is a write of the session. The staff
age is given when the session is written anyway (signing in, the second factor), and the end is then
moved at most once a minute, so a session lasts between the idle time and a minute less. A session is
never loaded only to be looked at: pages that do not read it cost nothing more."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gorod.accounts.roles import is_staff_member
from gorod.core import clock

TOUCHED = "gorod_staff_touched"  # when the end was last moved, seconds since the epoch (core.clock)
TOUCH_EVERY_S = 60


class StaffSessionExpiry:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed:
            _keep(request, session)
        return response


def _keep(request: HttpRequest, session) -> None:
    idle = int(settings.GOROD_STAFF_SESSION_IDLE_S)
    if session.get_expiry_age() != idle:
        # After the view, so a sign-in in this request has already replaced request.user.
        user = request.user
        if not (session.modified and (user.is_staff or is_staff_member(user))):
            return
    now = int(clock.now().timestamp())
    if session.modified or now - session.get(TOUCHED, 0) >= TOUCH_EVERY_S:
        session.set_expiry(idle)
        session[TOUCHED] = now
