"""Text-in's public side: the inbound webhook the gateway calls, and the printable sign of a project."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from gorod.city import selectors as city_selectors
from gorod.consultations.textin import gateways, selectors, services
from gorod.consultations.views.common import project_or_404, with_city

log = logging.getLogger(__name__)


@csrf_exempt  # the provider cannot hold a CSRF token; its signature is checked instead
@require_POST
def hook(request: HttpRequest, provider: str) -> HttpResponse:
    """Only the configured gateway answers. A request whose signature does not verify is refused with 403
    before anything is read or written; a replay (same message id) is acknowledged and changes nothing."""
    if provider != gateways.configured_name():
        raise Http404
    gateway = gateways.by_name(provider)
    city = city_selectors.default_municipality()
    if gateway is None or city is None:
        raise Http404
    if not gateway.verify(request):
        log.warning("text-in: %s request with a bad signature refused", provider)
        return HttpResponseForbidden("bad signature")
    try:
        inbound = gateway.parse(request)
        received = services.inbound_receive(municipality=city, gateway=gateway.name, inbound=inbound)
    except gateways.BadInbound as exc:
        log.info("text-in: %s request not readable: %s", provider, exc)  # names the field, never its value
        return HttpResponseBadRequest("not a message")
    log.info(
        "text-in: message %s %s",
        received.message.pk,
        "replayed" if received.replayed else received.message.outcome,
    )
    return gateway.acknowledge()


@require_GET
@with_city
def sign(request: HttpRequest, city, slug: str) -> HttpResponse:
    """The sign put up on the site: the number and the project's keywords, large, for printing."""
    project = project_or_404(request, city, slug)
    return render(
        request,
        "consultations/textin/sign.html",
        {
            "city": city,
            "project": project,
            "keywords": list(selectors.project_keywords(project)),
            "number": settings.GOROD_SMS_NUMBER,
            "text_in_on": bool(gateways.configured_name()),
        },
    )
