"""Facts about the HTTP request that several apps need, read one way everywhere."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the person at the other end.

    Behind N trusted reverse proxies (`GOROD_TRUSTED_PROXIES`), each appends the address that connected to
    it to X-Forwarded-For, so the client is the Nth address from the right; anything further left was
    written by the client and is not believed. With no trusted proxy (the default) the header is ignored:
    a client could otherwise claim any address and escape every per-address limit."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = int(getattr(settings, "GOROD_TRUSTED_PROXIES", 0) or 0)
    if trusted <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < trusted:
        return remote  # the proxies are not set up as configured: trust only the socket
    candidate = hops[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
