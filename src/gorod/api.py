"""The one django-ninja API of the site: Open311 GeoReport v2 at /open311/v2/ and its OpenAPI document
at /api/openapi.json (browsable at /api/docs)."""

from django.urls import path
from ninja import NinjaAPI

from gorod.open311.api import router as open311_router

api = NinjaAPI(
    title="Gorod API",
    version="1.0",
    description="Open311 GeoReport v2 with the extensions described in docs/open311.md.",
    openapi_url="api/openapi.json",
    docs_url="api/docs",
    urls_namespace="api",
)
api.add_router("open311/v2/", open311_router)

urlpatterns = [path("", api.urls)]
