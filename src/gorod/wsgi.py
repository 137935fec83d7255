"""The WSGI application (`gorod serve`, any WSGI server): Django's handler, with a leaner middleware
chain for the machine-to-machine paths of settings.GOROD_LEAN_PATHS (Open311, /healthz).

Why (issue 10, docs/decisions.md "Lean requests"): a tiny Open311 answer spent about half of its CPU in
middleware written for people's pages — sessions, messages, sign-in, the second factor, staff session
expiry, lockouts, htmx — none of which an API answer uses (Open311 authenticates by api_key, has no
session and sets no cookie). The lean chain keeps everything that shapes or protects an answer: HTTPS
redirect and HSTS, the language, the host's municipality, the audit origin and the security headers.
The lean paths are resolved against gorod.urls_lean, which tries the API's patterns first."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gorod.settings")
_full = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after the settings are configured)
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

# Resolved against this URL configuration: the API's patterns first (gorod/urls_lean.py).
LEAN_URLCONF = "gorod.urls_lean"


class _LeanHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler reads settings.MIDDLEWARE; give it the lean list for the moment it builds the chain
        # (once, at start-up, before any request).
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.GOROD_LEAN_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full

    def get_response(self, request):
        # Django's own hook (request.urlconf, as a middleware may set it): resolve_request and reverse()
        # use it for this request.
        request.urlconf = LEAN_URLCONF
        return super().get_response(request)


_lean = _LeanHandler()
_LEAN_PATHS = tuple(settings.GOROD_LEAN_PATHS)


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    handler = _lean if path.startswith(_LEAN_PATHS) else _full
    return handler(environ, start_response)
