"""Helpers shared by test modules (fixtures live in conftest.py files)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def login_verified(client, user):
    """Sign `user` in with a confirmed TOTP device, as if the second factor had been entered."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def fan_out() -> int:
    """Let the worker derive the deliveries of the report events recorded so far, as it does within a
    second in production (reports only records events; notifications takes them). Returns the area-alert
    mails written."""
    from gorod.notifications import fanout

    return fanout.fan_out()


def wait_for(
    done: Callable[[], bool], *, progress: Callable[[], object], what: str, patience: float = 120
) -> None:
    """Poll until `done()`; fail only when `progress()` has not changed for `patience` seconds.

    A loaded machine makes the wait longer, never failing it: only a stall (nothing moving at all for
    two minutes) is a failure. There is deliberately no total deadline."""
    seen, since = progress(), time.monotonic()
    while not done():
        time.sleep(0.01)
        now = progress()
        if now != seen:
            seen, since = now, time.monotonic()
        elif time.monotonic() - since > patience:
            raise AssertionError(f"no progress for {patience:.0f} s waiting for {what} (at {now!r})")


def post_past_the_limit(client, url: str, scope: str, data=None, **extra) -> list:
    """POST as often as `scope`'s limit allows, then once more; return the answers, the last of which
    must be the 429. The clock stands still, so the burst never straddles two windows."""
    from django.conf import settings

    from gorod.core import clock, ratelimit

    limit = ratelimit.parse(settings.GOROD_RATE_LIMITS[scope])
    with clock.frozen(clock.now()):
        answers = [client.post(url, data or {}, **extra) for _ in range(limit.count + 1)]
    assert [a.status_code for a in answers[:-1]].count(429) == 0, url
    assert answers[-1].status_code == 429, (url, answers[-1].status_code)
    assert 0 < int(answers[-1]["Retry-After"]) <= limit.window_s
    return answers
