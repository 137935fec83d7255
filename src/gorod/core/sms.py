"""The outbox's text-message entry point for apps below notifications (consultations' text-in replies).

As with core.mail, those apps may not import notifications, which sits above them: the installation names
the module that does the work in settings.GOROD_OUTBOX_SMS. It offers `enqueue(to=, body=, key=,
gateway=, municipality_id=, kind=)`, which writes an outbox row in the caller's transaction (a rollback
takes it back; a second call with the same key adds nothing), and `forget(recipient_hash=)`, which deletes
every text message to a number (its erasure)."""

from __future__ import annotations

from functools import cache
from importlib import import_module
from types import ModuleType

from django.conf import settings


@cache
def _implementation() -> ModuleType:
    return import_module(settings.GOROD_OUTBOX_SMS)


def enqueue_sms(
    *, to: str, body: str, key: str, gateway: str, municipality_id: int | None = None, kind: str = "sms"
) -> None:
    _implementation().enqueue(
        to=to, body=body, key=key, gateway=gateway, municipality_id=municipality_id, kind=kind
    )


def forget_sms(*, recipient_hash: str) -> int:
    return int(_implementation().forget(recipient_hash=recipient_hash))
