from django.urls import path

from gorod.consultations.surveys import views

# Included under /projects/<slug>/survey/<pk>/ in the consultations namespace. The page's GET and POST
# are the demand funnel's "survey started" and "survey finished" (analytics.demand.catalog).
urlpatterns = [
    path("", views.page, name="survey"),
    path("results/", views.results, name="survey-results"),
    path("responses.csv", views.export_csv, name="survey-csv"),
]
