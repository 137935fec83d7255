from django.urls import path

from gorod.reports import map_api

urlpatterns = [
    path("reports/map.json", map_api.clusters_json, name="reports-map-json"),
]
