from django.urls import path

from gorod.consultations.map_feedback import views as map_feedback
from gorod.consultations.views import public

app_name = "consultations"

urlpatterns = [
    path("", public.project_list, name="list"),
    path("unfollow/<str:token>/", public.unfollow_view, name="unfollow"),
    path("<slug:slug>/", public.project_detail, name="project"),
    path("<slug:slug>/follow/", public.follow_view, name="follow"),
    path("<slug:slug>/events.ics", public.events_ics, name="events-ics"),
    path("<slug:slug>/documents/<int:pk>/", public.document_detail, name="document"),
    # Map feedback (map_feedback/): the module's page, agree, heatmap and export, the staff page.
    path("<slug:slug>/map/<int:pk>/", map_feedback.module_page, name="map"),
    path("<slug:slug>/map/<int:pk>/<int:contribution>/agree/", map_feedback.agree_view, name="map-agree"),
    path("<slug:slug>/map/<int:pk>/heatmap.geojson", map_feedback.heatmap_view, name="map-heatmap"),
    path("<slug:slug>/map/<int:pk>/contributions.geojson", map_feedback.export_view, name="map-export"),
    path("<slug:slug>/map/<int:pk>/staff/", map_feedback.staff_page, name="map-staff"),
]
