from django.urls import path

from gorod.analytics.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.stats_page, name="page"),
    path("csv/<slug:key>/", views.stats_csv, name="csv"),
]

# Mounted at /backoffice/stats/ (gorod.urls), before the back office's own patterns.
staff_urlpatterns = (
    [
        path("", views.staff_page, name="page"),
        path("csv/<slug:key>/", views.staff_csv, name="csv"),
    ],
    "stats-staff",
)
