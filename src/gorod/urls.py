from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from gorod.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("gorod.api")),
    path("", include("gorod.reports.urls")),
]

if settings.DEBUG or settings.GOROD_SERVE_MEDIA:
    # Photos are re-encoded JPEGs we wrote ourselves; a real deployment serves them from the web server.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
