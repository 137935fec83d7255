"""Signed webhooks for integrators.

Body: JSON of one report event, without personal data. Header `X-Gorod-Signature: t=<unix>,v1=<hex>` where
v1 is HMAC-SHA256 over "<t>.<body>" with the endpoint's secret (the Stripe scheme: the timestamp inside the
MAC lets a receiver refuse replays of old bodies). `Idempotency-Key` is the delivery's key, the same on
every re-send, so a receiver can drop a body it has already processed."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from gorod.notifications import links

SIGNATURE_HEADER = "X-Gorod-Signature"
TOLERANCE_S = 300


def event_body(*, event, report, type_: str) -> str:
    published = event.note_state == "published"
    data = {
        "id": f"evt_{event.pk}",
        "type": type_,
        "created": event.at.isoformat(),
        "report": {
            "id": report.pk,
            "url": links.report_url(report),
            "status": report.status,
            "service_code": report.category.service_code,
            "district": report.district.slug,
            "department": report.department.slug if report.department_id else None,
            "lat": report.lat,
            "lon": report.lon,
        },
        "event": {
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "public_note": event.public_note if published else "",
        },
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify(
    secret: str, body: bytes, header: str, *, now: float | None = None, tolerance: int = TOLERANCE_S
) -> bool:
    """What a receiver runs: the signature matches and is recent. Constant-time comparison."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        t = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))
