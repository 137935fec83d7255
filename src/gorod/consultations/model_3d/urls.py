from django.urls import path

from gorod.consultations.model_3d import views

# Included under /projects/<slug>/model/<pk>/ in the consultations namespace.
urlpatterns = [
    path("", views.page, name="model3d"),
    path("<str:variant>.glb", views.model_file, name="model3d-file"),
    path("pin/", views.pin, name="model3d-pin"),
    path("<int:pin_id>/reply/", views.reply, name="model3d-reply"),
    path("staff/", views.staff_page, name="model3d-staff"),
]
