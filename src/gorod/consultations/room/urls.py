from django.urls import path

from gorod.consultations.room import views

# Included under /projects/<slug>/room/<pk>/ in the consultations namespace.
urlpatterns = [
    path("", views.page, name="room"),
    path("slide/<int:slide>/pin/", views.pin_view, name="room-pin"),
    path("pin/<int:pin>/reply/", views.reply_view, name="room-reply"),
    path("invitation/<str:token>/", views.invitation_view, name="room-invitation"),
    path("staff/", views.staff_page, name="room-staff"),
    path("staff/slides/", views.slide_upload, name="room-upload"),
    path("staff/<str:action>/", views.staff_action, name="room-staff-action"),
]
