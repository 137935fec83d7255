"""The worker's side of the outbox: claim due deliveries with a lease, send each with its idempotency key,
mark it sent right after the send, and on failure schedule a retry with exponential back-off and jitter, or
dead-letter it after GOROD_DELIVERY_MAX_ATTEMPTS.

A claim moves `next_attempt_at` to the end of a lease and stamps a claim token: if the worker dies
mid-send, the row simply becomes due again when the lease ends and is re-sent with the SAME key, so the
receiver can drop the copy (at-least-once transport + idempotency key = exactly-once effect)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import random
import secrets
import smtplib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F

from gorod.city import selectors as city_selectors
from gorod.core import clock, counters
from gorod.notifications import addresses, fanout, links, open311_out, outbox, sms, webhooks
from gorod.notifications.http import DeliveryError, request
from gorod.notifications.models import Channel, Delivery, OutboundSend

log = logging.getLogger(__name__)


def max_attempts() -> int:
    return int(getattr(settings, "GOROD_DELIVERY_MAX_ATTEMPTS", 8))


def lease_seconds() -> float:
    return float(getattr(settings, "GOROD_DELIVERY_LEASE_S", 120))


def batch_size() -> int:
    return int(getattr(settings, "GOROD_DELIVERY_BATCH", 10))


def backoff(attempts: int, rand: Callable[[], float] = random.random) -> dt.timedelta:
    """Delay before the next try after `attempts` failed ones: base·2^(attempts-1), capped, with "equal
    jitter" (half fixed, half random) so a recovering receiver is not hit by every retry at once."""
    base = float(getattr(settings, "GOROD_DELIVERY_BACKOFF_BASE_S", 30))
    cap = float(getattr(settings, "GOROD_DELIVERY_BACKOFF_MAX_S", 6 * 3600))
    ceiling = min(cap, base * 2 ** max(0, attempts - 1))
    return dt.timedelta(seconds=ceiling / 2 + rand() * ceiling / 2)


def claim(token: str, now: dt.datetime, size: int) -> list[Delivery]:
    """Take up to `size` due deliveries for this worker until the lease ends."""
    with transaction.atomic():
        due = Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
        ids = list(fanout.locked(due.order_by("next_attempt_at", "pk")).values_list("pk", flat=True)[:size])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, state=Delivery.State.PENDING, next_attempt_at__lte=now).update(
            claim=token,
            next_attempt_at=now + dt.timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
            updated=now,
        )
    return list(
        Delivery.objects.filter(pk__in=ids, claim=token, state=Delivery.State.PENDING)
        .select_related("webhook", "outbound", "outbound__endpoint")
        .order_by("next_attempt_at", "pk")
    )


def _still_ours(delivery: Delivery, token: str) -> bool:
    """Asked right before sending: the row may have been withdrawn since the claim (an erased account,
    consent to mails withdrawn: privacy deletes those rows), or its lease may have run out."""
    if Delivery.objects.filter(pk=delivery.pk, claim=token, state=Delivery.State.PENDING).exists():
        return True
    log.info("delivery %s was withdrawn or taken over before sending", delivery.pk)
    return False


def _mark_sent(delivery: Delivery, token: str, *, external_id: str = "") -> bool:
    now = clock.now()
    with transaction.atomic():
        done = Delivery.objects.filter(pk=delivery.pk, claim=token, state=Delivery.State.PENDING).update(
            state=Delivery.State.SENT, sent_at=now, claim="", last_error="", updated=now
        )
        if done and delivery.outbound_id:
            OutboundSend.objects.filter(pk=delivery.outbound_id).update(
                state=OutboundSend.State.SENT, external_id=external_id, sent_at=now, updated=now
            )
    if not done:
        log.warning("delivery %s was sent after its lease ended", delivery.pk)
    return bool(done)


def _mark_failed(delivery: Delivery, token: str, error: DeliveryError, now: dt.datetime) -> None:
    dead = error.permanent or delivery.attempts >= max_attempts()
    changes: dict = {"claim": "", "last_error": error.reason, "updated": now}
    if dead:
        changes["state"] = Delivery.State.DEAD
    else:
        changes["next_attempt_at"] = now + backoff(delivery.attempts)
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, claim=token, state=Delivery.State.PENDING).update(**changes)
        if delivery.outbound_id:
            OutboundSend.objects.filter(pk=delivery.outbound_id).update(
                send_fail_count=F("send_fail_count") + 1,
                send_fail_reason=error.reason,
                state=OutboundSend.State.FAILED if dead else OutboundSend.State.UNSENT,
                updated=now,
            )
    log.info("delivery %s failed (%s)%s", delivery.pk, error.reason, ", dead" if dead else "")


def _release(deliveries: list[Delivery], token: str) -> None:
    """Give back claimed rows not tried (time ran out): due again at once, the attempt not counted."""
    for delivery in deliveries:
        Delivery.objects.filter(pk=delivery.pk, claim=token, state=Delivery.State.PENDING).update(
            claim="", next_attempt_at=clock.now(), attempts=F("attempts") - 1
        )


def _earlier_waiting(delivery: Delivery) -> Delivery | None:
    """An earlier message about the same report to the same recipient that is not sent yet (pending,
    held or leased), if any: the later one must not overtake it ("accepted" before "received")."""
    if delivery.report_id is None or delivery.channel == Channel.OPEN311:
        return None
    return (
        Delivery.objects.filter(
            report_id=delivery.report_id,
            channel=delivery.channel,
            recipient_hash=delivery.recipient_hash,
            webhook_id=delivery.webhook_id,
            pk__lt=delivery.pk,
            state__in=[Delivery.State.PENDING, Delivery.State.HELD],
        )
        .order_by("-next_attempt_at")
        .only("pk", "state", "next_attempt_at")
        .first()
    )


def admit(delivery: Delivery, token: str, now: dt.datetime) -> addresses.Verdict:
    """Right before a send: is it this message's turn (no earlier one of its report and recipient
    waits), and may its address get it now (addresses.admit)? Anything but SEND puts the row aside in
    the same transaction — held, dropped or due later, its claim given back and the attempt not counted —
    so a row is held or sent, never both."""
    with transaction.atomic():
        nowhere = city_selectors.is_sandbox(delivery.municipality_id)
        earlier = None if nowhere else _earlier_waiting(delivery)
        if nowhere:
            # Written before its municipality became a sandbox (outbox.enqueue drops the others).
            verdict = addresses.Verdict(addresses.DROP, outbox.SANDBOX_REASON)
        elif earlier is not None and earlier.state == Delivery.State.HELD:
            verdict = addresses.Verdict(addresses.HOLD, "held behind an earlier mail about the same report")
        elif earlier is not None:
            verdict = addresses.Verdict(
                addresses.WAIT,
                "waits for an earlier message about the same report",
                until=max(earlier.next_attempt_at, now) + dt.timedelta(seconds=1),
            )
        elif delivery.channel == Channel.EMAIL:
            verdict = addresses.admit(delivery, now)
        else:
            verdict = addresses.Verdict(addresses.SEND)
        if verdict.action != addresses.SEND:
            _set_aside(delivery, token, verdict, now)
    return verdict


def _set_aside(delivery: Delivery, token: str, verdict: addresses.Verdict, now: dt.datetime) -> None:
    changes: dict = {"claim": "", "attempts": F("attempts") - 1, "last_error": verdict.reason[:300]}
    if verdict.action == addresses.HOLD:
        changes["state"] = Delivery.State.HELD
    elif verdict.action == addresses.DROP:
        changes["state"] = Delivery.State.DROPPED
    else:
        changes["next_attempt_at"] = verdict.until or now
    changes["updated"] = now
    Delivery.objects.filter(pk=delivery.pk, claim=token, state=Delivery.State.PENDING).update(**changes)
    log.info("delivery %s set aside: %s", delivery.pk, verdict.reason)


# --- channels ------------------------------------------------------------------------------------------
def message_id(key: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "gorod.invalid"
    return f"<{key}@{domain}>"


def email_message(delivery: Delivery, connection=None, address=None) -> EmailMessage:
    """The mail as sent. With the recipient's MailAddress (every mail but staff mail to staff), it ends
    with the link that stops every mail to the address, and List-Unsubscribe names the mail's own
    subscription if it has one, else that link."""
    data = json.loads(delivery.payload)
    headers = {"Message-ID": message_id(delivery.key), "Auto-Submitted": "auto-generated"}
    body = data["body"]
    unsubscribe = data.get("unsubscribe") or ""
    if address is not None:
        stop = links.address_stop_url(address.pk, municipality_id=delivery.municipality_id)
        body = body.rstrip("\n") + addresses.footer(stop, data.get("language", "")) + "\n"
        unsubscribe = unsubscribe or stop
    if unsubscribe:
        # RFC 8058: a mail client may POST to this URL to unsubscribe in one click.
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(
        subject=data["subject"],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.recipient],
        headers=headers,
        connection=connection,
    )


def _send_email(delivery: Delivery, connection, address=None) -> str:
    try:
        # One SMTP session for the whole run; a broken one is closed below and reopened by the next send.
        connection.open()
        email_message(delivery, connection, address).send()
    except smtplib.SMTPRecipientsRefused:
        _close_quietly(connection)
        raise DeliveryError("recipient refused", permanent=True) from None
    except smtplib.SMTPResponseException as exc:
        _close_quietly(connection)
        # The server's text may quote the address: keep the code only.
        raise DeliveryError(f"SMTP {exc.smtp_code}", permanent=500 <= exc.smtp_code < 600) from None
    except (smtplib.SMTPException, OSError) as exc:
        _close_quietly(connection)
        raise DeliveryError(f"SMTP {type(exc).__name__}") from None
    return ""


def _send_webhook(delivery: Delivery) -> str:
    endpoint = delivery.webhook
    if endpoint is None or not endpoint.active:
        raise DeliveryError("webhook endpoint removed or inactive", permanent=True)
    data = json.loads(delivery.payload)
    body = data["body"].encode()
    request(
        "POST",
        endpoint.url,
        data=body,
        headers={
            "Content-Type": "application/json",
            webhooks.SIGNATURE_HEADER: webhooks.sign(endpoint.secret, body),
            "Idempotency-Key": delivery.key,
            "X-Gorod-Event": data.get("type", ""),
        },
    )
    return ""


def _send_open311(delivery: Delivery) -> str:
    send = delivery.outbound
    if send is None or not send.endpoint.active:
        raise DeliveryError("Open311 endpoint removed or inactive", permanent=True)
    data = json.loads(delivery.payload)
    if open311_out.is_resend(delivery, send):
        counters.add(open311_out.RESENDS, 1)
        log.info("delivery %s: Open311 re-send after an attempt with no outcome", delivery.pk)
    return open311_out.send_request(send=send, fields=data["fields"], key=delivery.key)


def send_one(delivery: Delivery, mail_connection, address=None) -> str:
    """Send; returns an external id (Open311) or "". Raises DeliveryError."""
    if delivery.channel == Channel.EMAIL:
        return _send_email(delivery, mail_connection, address)
    if delivery.channel == Channel.WEBHOOK:
        return _send_webhook(delivery)
    if delivery.channel == Channel.OPEN311:
        return _send_open311(delivery)
    if delivery.channel == Channel.SMS:
        return sms.send(delivery)
    raise DeliveryError(f"unknown channel {delivery.channel[:20]}", permanent=True)


def deliver_due(now: dt.datetime | None = None, *, budget_s: float | None = None) -> int:
    """Derive the deliveries of new report events (fanout), then send every delivery that is due.
    Returns how many were sent. With `budget_s`, stops claiming after that many seconds (the rest stays
    due for the next run)."""
    fixed_now = now
    token = secrets.token_hex(8)
    started = time.monotonic()
    fanout.fan_out(wake=False)  # what it writes is sent just below
    addresses.drop_expired_holds(fixed_now)
    addresses.release_proven(fixed_now)
    sent = 0
    mail_connection = get_connection(fail_silently=False)
    try:
        while budget_s is None or time.monotonic() - started < budget_s:
            at = fixed_now or clock.now()
            batch = claim(token, at, batch_size())
            if not batch:
                break
            deadline = time.monotonic() + lease_seconds() / 2
            for index, delivery in enumerate(batch):
                if time.monotonic() > deadline:
                    _release(batch[index:], token)
                    break
                if not _still_ours(delivery, token):
                    continue
                try:
                    verdict = admit(delivery, token, fixed_now or clock.now())
                    if verdict.action != addresses.SEND:
                        continue  # held, dropped or due later: set aside by admit
                    external_id = send_one(delivery, mail_connection, verdict.address)
                except DeliveryError as exc:
                    _mark_failed(delivery, token, exc, fixed_now or clock.now())
                    continue
                except Exception as exc:
                    # A bug must not kill the worker's loop; the reason names the class only.
                    log.exception("delivery %s crashed", delivery.pk)
                    _mark_failed(
                        delivery,
                        token,
                        DeliveryError(f"error: {type(exc).__name__}"),
                        fixed_now or clock.now(),
                    )
                    continue
                # Right after the send: the window in which a crash causes a re-send is this one UPDATE.
                sent += _mark_sent(delivery, token, external_id=external_id)
    finally:
        _close_quietly(mail_connection)
    return sent


def _close_quietly(connection) -> None:
    # Closing a broken SMTP session must not hide the error that broke it.
    with contextlib.suppress(Exception):
        connection.close()


def next_due() -> dt.datetime | None:
    row = (
        Delivery.objects.filter(state=Delivery.State.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return row
