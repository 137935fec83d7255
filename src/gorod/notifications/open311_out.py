"""Outbound Open311 (GeoReport v2) to a department's external system, FixMyStreet-style.

Sending: when a report reaches a department that has an Open311Endpoint, an OutboundSend (unsent/sent/failed
with a failure count and reason) and a delivery are written in the same transaction; the worker POSTs
requests.json and stores the external service_request_id.
Polling: a periodic job fetches servicerequestupdates.json since the last poll and applies each update
through reports.services.report_transition; what the workflow forbids is skipped and the reason kept."""

from __future__ import annotations

import datetime as dt
import json
import logging
from urllib.parse import urlencode

from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gorod.core import clock
from gorod.notifications.http import DeliveryError, request
from gorod.notifications.models import Delivery, InboundUpdate, Open311Endpoint, OutboundSend
from gorod.reports.models import Report, ReportEvent
from gorod.reports.services import ReportRefused, report_transition
from gorod.reports.workflow import Status

log = logging.getLogger(__name__)

OPEN_STATES = frozenset({"open", "in_progress", "action_scheduled", "investigating", "acknowledged"})
CLOSED_STATES = frozenset({"closed", "fixed", "resolved"})
POLL_OVERLAP = dt.timedelta(minutes=5)  # updates are deduplicated by update_id, so overlap is safe


def _url(endpoint: Open311Endpoint, name: str) -> str:
    return endpoint.base_url.rstrip("/") + "/" + name


def request_fields(report: Report, endpoint: Open311Endpoint) -> dict[str, str]:
    """The GeoReport v2 POST fields, without contact details (the external system gets the problem, not
    the citizen) and without the API key (added when sending; it must not sit in the outbox)."""
    code = report.category.service_code
    return {
        "service_code": str(endpoint.service_codes.get(code, code)),
        "lat": f"{report.lat:.6f}",
        "long": f"{report.lon:.6f}",
        "address_string": report.address,
        "description": report.description,
    }


def _auth(endpoint: Open311Endpoint) -> dict[str, str]:
    out = {}
    if endpoint.api_key:
        out["api_key"] = endpoint.api_key
    if endpoint.jurisdiction_id:
        out["jurisdiction_id"] = endpoint.jurisdiction_id
    return out


# core.counters: POSTs repeated because an earlier attempt left no outcome (the worker died mid-send, or
# its lease ran out); the external system may have filed the first, and only the key lets it drop this.
RESENDS = "open311_out.resends"


def is_resend(delivery: Delivery, send: OutboundSend) -> bool:
    """Whether this attempt repeats one whose outcome was never recorded. `attempts` counts this one
    (claim adds it; a released claim takes it back); every recorded failure also added to
    send_fail_count, so earlier attempts beyond the failures ended without an answer."""
    return delivery.attempts - 1 > send.send_fail_count


def send_request(*, send: OutboundSend, fields: dict, key: str) -> str:
    """POST the request with `Idempotency-Key: key` (the delivery's key: the same on every attempt, so a
    receiver that honours it files the request once); returns the external service_request_id or raises
    DeliveryError."""
    endpoint = send.endpoint
    data = urlencode({**fields, **_auth(endpoint)}).encode()
    answer = request(
        "POST",
        _url(endpoint, "requests.json"),
        data=data,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": key},
    )
    try:
        items = json.loads(answer.body)
        first = items[0] if isinstance(items, list) else items
        external = str(first.get("service_request_id") or "")
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        raise DeliveryError("answer is not GeoReport v2 JSON") from None
    if not external:
        raise DeliveryError("no service_request_id in the answer")
    return external[:100]


# --- polling ------------------------------------------------------------------------------------------
def poll(endpoint: Open311Endpoint, *, now: dt.datetime | None = None) -> int:
    """Fetch and apply the updates since the last poll. Returns how many were applied."""
    now = now or clock.now()
    start = (endpoint.polled_until or now - dt.timedelta(days=1)) - POLL_OVERLAP
    query = {**_auth(endpoint), "start_date": start.isoformat(), "end_date": now.isoformat()}
    try:
        answer = request("GET", _url(endpoint, "servicerequestupdates.json") + "?" + urlencode(query))
        updates = json.loads(answer.body)
        if isinstance(updates, dict):
            updates = updates.get("service_request_updates", [])
        if not isinstance(updates, list):
            raise DeliveryError("answer is not a list of updates")
    except (DeliveryError, ValueError) as exc:
        reason = exc.reason if isinstance(exc, DeliveryError) else "answer is not JSON"
        Open311Endpoint.objects.filter(pk=endpoint.pk).update(last_poll_error=reason, updated=now)
        log.warning("open311 poll of endpoint %s failed: %s", endpoint.pk, reason)
        return 0
    applied = 0
    for update in sorted(
        (u for u in updates if isinstance(u, dict)), key=lambda u: str(u.get("updated_datetime", ""))
    ):
        applied += apply_update(endpoint, update).applied
    Open311Endpoint.objects.filter(pk=endpoint.pk).update(polled_until=now, last_poll_error="", updated=now)
    return applied


def _action_for(external_status: str, current: str) -> tuple[str | None, str]:
    if external_status in OPEN_STATES:
        if current in (Status.ACCEPTED, Status.REOPENED):
            return "start", ""
        if current == Status.IN_PROGRESS:
            return None, "already in progress"
        return None, f"“{external_status}” cannot move a report that is {current}"
    if external_status in CLOSED_STATES:
        return "resolve", ""
    return None, f"status “{external_status[:40]}” is not mapped"


def apply_update(endpoint: Open311Endpoint, update: dict) -> InboundUpdate:
    """Apply one update once (update_id is remembered); the outcome is stored either way."""
    update_id = str(update.get("update_id") or "")[:100]
    external = str(update.get("service_request_id") or "")
    status = str(update.get("status") or "").strip().lower()
    existing = InboundUpdate.objects.filter(endpoint=endpoint, update_id=update_id).first()
    if existing is not None:
        return InboundUpdate(applied=False, reason="seen before")
    with transaction.atomic():
        send = (
            OutboundSend.objects.select_related("report", "report__category")
            .filter(endpoint=endpoint, external_id=external)
            .first()
            if external
            else None
        )
        record = InboundUpdate(endpoint=endpoint, update_id=update_id, status=status[:50])
        if not update_id:
            record.reason = "no update_id"
            return record  # cannot be remembered, so it is not applied either
        if send is None:
            record.reason = "unknown service_request_id"
            record.save()
            return record
        report = send.report
        record.report = report
        action, why = _action_for(status, report.status)
        if action is None:
            record.reason = why
            record.save()
            return record
        note = str(update.get("description") or "").strip()[:4000]
        if action == "resolve" and not note:
            note = _("The department's system reports the problem fixed.")
        when = parse_datetime(str(update.get("updated_datetime") or ""))
        try:
            with transaction.atomic():
                report_transition(
                    report=report,
                    action=action,
                    actor=None,
                    public_note=note if action == "resolve" or note else "",
                    private_note=f"Open311 update {update_id} from {endpoint.base_url}"
                    + (f" at {when.isoformat()}" if when else ""),
                    note_state=ReportEvent.NoteState.PENDING
                    if report.category.answer_moderation
                    else ReportEvent.NoteState.PUBLISHED,
                )
        except ReportRefused as exc:
            record.reason = str(exc.message if hasattr(exc, "message") else exc)[:300]
        else:
            record.applied = True
            record.reason = action
        record.save()
        return record


def poll_all(now: dt.datetime | None = None) -> int:
    total = 0
    for endpoint in Open311Endpoint.objects.filter(
        active=True, outboundsend__state=OutboundSend.State.SENT
    ).distinct():
        total += poll(endpoint, now=now)
    return total
