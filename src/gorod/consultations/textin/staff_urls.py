from django.urls import path

from gorod.consultations.textin import staff_views

app_name = "textin-desk"

# Mounted at /backoffice/text-in/.
urlpatterns = [
    path("", staff_views.desk, name="desk"),
]
