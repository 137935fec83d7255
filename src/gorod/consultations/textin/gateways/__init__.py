"""The SMS gateway adapter: what text-in needs from a provider, and the providers.

A gateway (1) verifies that an inbound webhook request really comes from the provider, (2) parses it into
an Inbound, (3) says what to answer the provider, and (4) sends a reply. The installation picks one with
GOROD_SMS_GATEWAY ("twilio"; "console" in a demo, which prints replies; "fake" in tests); only that one
answers at /hooks/sms/<name>/. Replies are sent by the outbox's worker (notifications), which calls
`send` with the delivery's idempotency key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse

BODY_MAX = 1600  # Twilio's limit for one (concatenated) message; longer bodies are cut here


@dataclass(frozen=True)
class Inbound:
    message_id: str
    sender: str
    to: str
    body: str


class BadInbound(Exception):
    """The request is signed but not a message we can read (a field missing or malformed)."""


class GatewayError(Exception):
    """A reply could not be sent. `permanent`: retrying cannot help (the number refuses messages)."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason[:300]
        self.permanent = permanent


class Gateway(Protocol):
    name: str

    def verify(self, request: HttpRequest) -> bool: ...

    def parse(self, request: HttpRequest) -> Inbound: ...

    def acknowledge(self) -> HttpResponse: ...

    def send(self, *, to: str, body: str, key: str) -> str: ...


def clean_body(text: str) -> str:
    """The body as text-in reads it: control characters (but line breaks) dropped, at most BODY_MAX."""
    text = "".join(ch for ch in (text or "") if ch in "\n\t" or ch.isprintable())
    return text[:BODY_MAX]


def by_name(name: str) -> Gateway | None:
    from gorod.consultations.textin.gateways import console, fake, twilio

    known: dict[str, type] = {"twilio": twilio.Twilio, "console": console.Console, "fake": fake.Fake}
    gateway_class = known.get(name)
    return gateway_class() if gateway_class else None


def configured_name() -> str:
    return getattr(settings, "GOROD_SMS_GATEWAY", "") or ""


def configured() -> Gateway | None:
    """The installation's gateway, or None when text-in is off."""
    name = configured_name()
    return by_name(name) if name else None
