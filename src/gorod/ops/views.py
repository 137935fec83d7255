"""GET /metrics: Prometheus' text format, for a scraper that shows the token or comes from an allowed
address. Not configured, it does not exist (404): an installation that never set it up exposes nothing."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

from gorod.core.http import client_ip
from gorod.ops.collector import DatabaseCollector
from gorod.ops.middleware import LATENCY

log = logging.getLogger(__name__)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token, allowed = settings.GOROD_METRICS_TOKEN, settings.GOROD_METRICS_ALLOWED_IPS
    if not token and not allowed:
        raise Http404
    if (token and not _token_matches(request, token)) or (allowed and not _address_allowed(request, allowed)):
        log.warning("metrics refused for a scrape without the token or from an address not allowed")
        return HttpResponseForbidden("forbidden\n", content_type="text/plain")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


def registry() -> CollectorRegistry:
    """A registry for this scrape: the latency histogram (this process's, or with
    PROMETHEUS_MULTIPROC_DIR every process's, as gunicorn runs several) and the database figures."""
    reg = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(reg)
    else:
        reg.register(LATENCY)
    reg.register(DatabaseCollector())
    return reg


def _token_matches(request: HttpRequest, token: str) -> bool:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, offered = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(offered.strip().encode(), token.encode())


def _address_allowed(request: HttpRequest, allowed: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    for entry in allowed:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue  # a malformed entry allows nothing
    return False
