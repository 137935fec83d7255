from django.urls import path

from gorod.reports import feeds, map_api, views

urlpatterns = [
    path("", views.home, name="home"),
    path("counts/", views.home_counts, name="home-counts"),
    path("reports/", views.report_list, name="reports-list"),
    path("reports/map.json", map_api.clusters_json, name="reports-map-json"),
    path("reports/districts.geojson", views.districts_geojson, name="reports-districts"),
    path("reports/new/", views.report_new, name="report-new"),
    path("reports/new/attributes/", views.report_attributes, name="report-new-attributes"),
    path("reports/new/duplicates/", views.report_duplicates, name="report-new-duplicates"),
    path("reports/new/photo/<str:token>/", views.report_held_photo, name="report-new-held-photo"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/answer/<str:token>/", views.report_answer, name="report-answer"),
    path("reports/<int:pk>/confirm/", views.report_confirm, name="report-confirm"),
    path("reports/<int:pk>/dispute/", views.report_dispute, name="report-dispute"),
    path("reports/<int:pk>/rate/", views.report_rate, name="report-rate"),
    path("feeds/rss/", feeds.CityReportsRss(), name="feed-city-rss"),
    path("feeds/atom/", feeds.CityReportsAtom(), name="feed-city-atom"),
    path("feeds/district/<slug:slug>/rss/", feeds.DistrictReportsRss(), name="feed-district-rss"),
    path("feeds/district/<slug:slug>/atom/", feeds.DistrictReportsAtom(), name="feed-district-atom"),
    path("feeds/category/<slug:service_code>/rss/", feeds.CategoryReportsRss(), name="feed-category-rss"),
    path("feeds/category/<slug:service_code>/atom/", feeds.CategoryReportsAtom(), name="feed-category-atom"),
]
