"""The outbox's e-mail entry point for apps below notifications (accounts' sign-in links, say).

Those apps may not import notifications, which sits above them; the installation names the function
that does the work in settings.GOROD_OUTBOX_EMAIL, as Django names its mail sender in EMAIL_BACKEND.
The mail is enqueued in the caller's transaction (an outbox row), so a rollback takes it back."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _implementation() -> Callable[..., object]:
    return import_string(settings.GOROD_OUTBOX_EMAIL)


def enqueue_email(
    *,
    to: str,
    subject: str,
    body: str,
    key: str,
    municipality_id: int | None = None,
    unsubscribe_url: str = "",
    kind: str = "email",
) -> None:
    """Put one plain-text e-mail in the outbox. A second call with the same `key` adds nothing. Raises
    whatever the implementation raises for a bad address. `kind` tells the outbox what the mail is
    ("signin" for a link that proves the address; see notifications.addresses)."""
    _implementation()(
        to=to,
        subject=subject,
        body=body,
        key=key,
        municipality_id=municipality_id,
        unsubscribe_url=unsubscribe_url,
        kind=kind,
    )
