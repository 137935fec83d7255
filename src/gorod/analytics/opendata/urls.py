from django.urls import path, re_path

from gorod.analytics.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalog.jsonld", views.catalog, name="catalog"),
    # Only names the generator could have written reach the view; the view then checks the manifest.
    re_path(r"^(?P<city>[a-z0-9][a-z0-9_-]*)/(?P<name>[a-z0-9][a-z0-9_.-]*)$", views.download, name="file"),
]
