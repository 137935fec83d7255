from django.urls import path

from gorod.info import views

app_name = "info"

urlpatterns = [
    path("", views.help_index, name="help"),
    # <slug> only matches [-a-zA-Z0-9_]: "../" never reaches the view; the view checks the files anyway.
    path("<slug:slug>/", views.help_page, name="help-page"),
    path("<slug:slug>/print/", views.help_print, name="help-print"),
]
