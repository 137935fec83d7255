"""Helpers shared by test modules (fixtures live in conftest.py files)."""

from __future__ import annotations

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
