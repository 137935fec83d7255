from django.urls import path, re_path

from gorod.analytics.demand import views

app_name = "demand"

urlpatterns = [
    path("", views.latest, name="latest"),
    # Anything shaped like a month reaches the view, which answers 404 for one that is not (2026-13).
    re_path(r"^(?P<month>\d{4}-\d{2})/$", views.report, name="report"),
    re_path(r"^(?P<month>\d{4}-\d{2})\.pdf$", views.report_pdf, name="pdf"),
]
