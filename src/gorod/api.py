"""The one django-ninja API of the site: Open311 GeoReport v2 at /open311/v2/ and its OpenAPI document
at /api/openapi.json (browsable at /api/docs)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI
from ninja.responses import Response

from gorod.city import selectors as city_selectors
from gorod.open311.api import router as open311_router
from gorod.open311.schemas import JURISDICTION_EXAMPLE

api = NinjaAPI(
    title="Gorod API",
    version="1.0",
    description="Open311 GeoReport v2 with the extensions described in docs/open311.md.",
    openapi_url="api/openapi.json",
    docs_url="api/docs",
    urls_namespace="api",
)
api.add_router("open311/v2/", open311_router)


def openapi_document(request: HttpRequest) -> HttpResponse:
    """ninja's document, with the examples of the municipality this host shows (not another city's)."""
    city = city_selectors.default_municipality()
    # A training sandbox is not served by Open311: its host keeps the placeholder.
    example = city.jurisdiction_id if city and not city.is_sandbox else None
    return Response(_with_example(api.get_openapi_schema(), example))


def _with_example(node, example: str | None):
    if example is None:
        return node
    if isinstance(node, dict):
        return {key: _with_example(value, example) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_example(value, example) for value in node]
    return node.replace(JURISDICTION_EXAMPLE, example) if isinstance(node, str) else node


# Ahead of ninja's own pattern for the same path, which /api/docs still finds by its name.
urlpatterns = [path("api/openapi.json", openapi_document), path("", api.urls)]
