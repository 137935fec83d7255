"""Makes the request's host known to city.selectors for the time of the request, so that every page
shows the municipality whose site was asked for (docs/city-config.md, `site`); and, once per request, has
this process forget its city caches when another process imported a city file (city.generation)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from gorod.city import generation
from gorod.city.selectors import request_host


class RequestHostMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        generation.check()
        token = request_host.set(request.get_host())
        try:
            return self.get_response(request)
        finally:
            request_host.reset(token)
