from django.urls import path

from gorod.privacy import views

app_name = "privacy"

# Mounted at /account/ beside accounts' pages: to a person it is all one "my account".
urlpatterns = [
    path("", views.account, name="account"),
    path("privacy/export/", views.export, name="export"),
    path("privacy/delete/", views.erase, name="erase"),
    path("privacy/consent/", views.consent, name="consent"),
]
