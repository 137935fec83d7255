"""A gateway for tests: inbound fields `id`, `from`, `to`, `text`, signed in X-Fake-Signature with an HMAC
of SECRET_KEY (sign() makes one); sent replies are appended to SENT, and FAIL makes the next sends fail."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gorod.consultations.textin.gateways import BadInbound, GatewayError, Inbound, clean_body

SIGNATURE_HEADER = "X-Fake-Signature"
SENT: list[dict[str, str]] = []
FAIL: list[GatewayError] = []


def sign(params: dict[str, str]) -> str:
    payload = "&".join(f"{k}={params[k]}" for k in sorted(params))
    key = hashlib.sha256(b"gorod-fake-sms:" + settings.SECRET_KEY.encode()).digest()
    return base64.b64encode(hmac.new(key, payload.encode(), hashlib.sha256).digest()).decode()


class Fake:
    name = "fake"

    def verify(self, request: HttpRequest) -> bool:
        given = request.headers.get(SIGNATURE_HEADER, "")
        params = {k: request.POST.get(k, "") for k in request.POST}
        return bool(given) and hmac.compare_digest(sign(params).encode(), given.encode())

    def parse(self, request: HttpRequest) -> Inbound:
        message_id, sender = request.POST.get("id", ""), request.POST.get("from", "")
        if not message_id or len(message_id) > 64 or not sender or len(sender) > 40:
            raise BadInbound("id or from missing or too long")
        return Inbound(
            message_id=message_id,
            sender=sender,
            to=request.POST.get("to", "")[:40],
            body=clean_body(request.POST.get("text", "")),
        )

    def acknowledge(self) -> HttpResponse:
        return HttpResponse("ok", content_type="text/plain")

    def send(self, *, to: str, body: str, key: str) -> str:
        if FAIL:
            raise FAIL.pop(0)
        SENT.append({"to": to, "body": body, "key": key})
        return f"fake-{len(SENT)}"
