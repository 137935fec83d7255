"""The URL configuration of the lean paths (settings.GOROD_LEAN_PATHS, gorod.wsgi): the API first, then
the whole site's patterns (gorod.urls) unchanged.

Why: Django tries patterns in order, and the site's root configuration puts the API last (its root
pattern at "" would otherwise answer "/"), so resolving an Open311 path tried every site pattern first —
about 0.2 ms of a request, a tenth of what the raw floor spends on a whole list of 100 (docs/decisions.md,
"Lean requests"). Only paths under GOROD_LEAN_PATHS are resolved here, never "/"; every path resolves to
the same view as in gorod.urls (the API's patterns match nothing else, and its catch-all
`open311/v2/<path:rest>` answers every other Open311 path in both). The site's patterns follow so that a
reverse() made while answering finds every name, as it would under gorod.urls."""

from django.urls import include, path

from gorod.core.views import healthz
from gorod.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("gorod.api")),
    *site_urlpatterns,
]
