from django.urls import path

from gorod.consultations.views import public

app_name = "consultations"

urlpatterns = [
    path("", public.project_list, name="list"),
    path("unfollow/<str:token>/", public.unfollow_view, name="unfollow"),
    path("<slug:slug>/", public.project_detail, name="project"),
    path("<slug:slug>/follow/", public.follow_view, name="follow"),
    path("<slug:slug>/events.ics", public.events_ics, name="events-ics"),
    path("<slug:slug>/documents/<int:pk>/", public.document_detail, name="document"),
]
