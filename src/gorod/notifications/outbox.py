"""The outbox's primitives: idempotency keys and one `enqueue` that every channel uses.

A delivery row is written in the caller's transaction; so is the django-tasks row that wakes the worker
(`kick`). If the transaction rolls back, neither exists; if it commits, the worker will deliver the row even
if the task row is lost or its worker dies, because the periodic sweep reads the deliveries themselves."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from gorod.city import selectors as city_selectors
from gorod.core import clock
from gorod.notifications.models import Delivery

# A training sandbox's messages (docs/sandbox.md) are written like any other, so staff see in the back
# office what would have gone out, but dropped at once: the worker never claims them.
SANDBOX_REASON = "not sent: training sandbox, its messages go nowhere"


def idempotency_key(*parts: object) -> str:
    """sha256 of the parts: the same event, channel and recipient always give the same key."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def enqueue(
    *,
    channel: str,
    key: str,
    payload: dict,
    kind: str,
    recipient: str = "",
    recipient_hash: str = "",
    municipality_id: int | None = None,
    report_id: int | None = None,
    event_id: int | None = None,
    webhook_id: int | None = None,
    outbound_id: int | None = None,
    wake: bool = True,
) -> tuple[Delivery, bool]:
    """Write one delivery unless its key exists; returns (delivery, created). A delivery of a training
    sandbox is written already dropped, whatever its channel."""
    nowhere = city_selectors.is_sandbox(municipality_id)
    with transaction.atomic():
        delivery, created = Delivery.objects.get_or_create(
            key=key,
            defaults=dict(
                channel=channel,
                kind=kind,
                recipient=recipient,
                recipient_hash=recipient_hash,
                municipality_id=municipality_id,
                report_id=report_id,
                event_id=event_id,
                webhook_id=webhook_id,
                outbound_id=outbound_id,
                payload=json.dumps(payload, ensure_ascii=False),
                next_attempt_at=clock.now(),
                **({"state": Delivery.State.DROPPED, "last_error": SANDBOX_REASON} if nowhere else {}),
            ),
        )
        if created and wake and not nowhere:
            kick()
    return delivery, created


def kick() -> None:
    """Enqueue a delivery run, in the current transaction (django_tasks_db writes a row)."""
    from gorod.notifications import tasks  # tasks imports the delivery machinery, which imports us

    tasks.deliver.enqueue()
