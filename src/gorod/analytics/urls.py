from django.urls import path

from gorod.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.performance_page, name="performance"),
    path("csv/", views.performance_csv, name="performance-csv"),
]
