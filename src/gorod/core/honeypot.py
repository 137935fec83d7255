"""A form field people never see and form-filling bots do: `_honeypot.html` draws it (hidden by the
stylesheet, skipped by autofill and password managers), `caught` tells the view it came back filled.

A caught post is answered as if it had worked and nothing is saved or sent: a bot told "refused" would
adapt, one told "done" moves on. The refusal is logged without the posted text."""

from __future__ import annotations

import logging

from django.http import HttpRequest

FIELD = "website"  # the name in templates/_honeypot.html
log = logging.getLogger(__name__)


def caught(request: HttpRequest) -> bool:
    if request.method == "POST" and request.POST.get(FIELD, ""):
        log.info("honeypot filled: post to %s refused quietly", request.path)
        return True
    return False
