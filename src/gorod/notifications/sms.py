"""Text messages in the outbox (core.sms names this module in settings.GOROD_OUTBOX_SMS): the SMS channel's
enqueue, forget and send. The number is the delivery's recipient, encrypted like an e-mail address, with
the keyed hash that text-in uses for the number (consultations.textin.phones.lookup), so an erasure finds
the number's messages. The send goes through the gateway named in the delivery (the one the message came
in by), with the delivery's idempotency key."""

from __future__ import annotations

import json

from gorod.consultations.textin import gateways, phones
from gorod.notifications import outbox
from gorod.notifications.http import DeliveryError
from gorod.notifications.models import Channel, Delivery


def enqueue(
    *, to: str, body: str, key: str, gateway: str, municipality_id: int | None, kind: str
) -> Delivery:
    number = phones.normalise(to)
    if not number or not key:
        raise ValueError("an SMS needs a number and a key")
    delivery, _created = outbox.enqueue(
        channel=Channel.SMS,
        key=outbox.idempotency_key(Channel.SMS, key),
        payload={"body": body, "gateway": gateway},
        kind=(kind or "sms")[:40],
        recipient=number,
        recipient_hash=phones.lookup(number),
        municipality_id=municipality_id,
    )
    return delivery


def forget(*, recipient_hash: str) -> int:
    deleted, _ = Delivery.objects.filter(channel=Channel.SMS, recipient_hash=recipient_hash).delete()
    return deleted


def send(delivery: Delivery) -> str:
    data = json.loads(delivery.payload)
    gateway = gateways.by_name(data.get("gateway", ""))
    if gateway is None:
        raise DeliveryError("SMS gateway not known", permanent=True)
    try:
        return gateway.send(to=delivery.recipient, body=data["body"], key=delivery.key)
    except gateways.GatewayError as exc:
        raise DeliveryError(exc.reason, permanent=exc.permanent) from None
