from django.urls import include, path

from gorod.consultations.map_feedback import views as map_feedback
from gorod.consultations.textin import views as textin
from gorod.consultations.views import contribution, demographics, public

app_name = "consultations"

urlpatterns = [
    path("", public.project_list, name="list"),
    path("unfollow/<str:token>/", public.unfollow_view, name="unfollow"),
    path("about-you/", demographics.about_you, name="about-you"),
    path("<slug:slug>/", public.project_detail, name="project"),
    path("<slug:slug>/follow/", public.follow_view, name="follow"),
    path("<slug:slug>/events.ics", public.events_ics, name="events-ics"),
    path("<slug:slug>/documents/<int:pk>/", public.document_detail, name="document"),
    # Text-in (textin/): the printable sign with the number and the project's keywords.
    path("<slug:slug>/text-in/", textin.sign, name="text-in-sign"),
    # Q&A and idea wall modules, and the flags and moderation every contribution shares.
    path("<slug:slug>/questions/<int:pk>/", include("gorod.consultations.questions.urls")),
    path("<slug:slug>/ideas/<int:pk>/", include("gorod.consultations.ideas.urls")),
    path("<slug:slug>/survey/<int:pk>/", include("gorod.consultations.surveys.urls")),
    path("<slug:slug>/draft/<int:pk>/", include("gorod.consultations.text_review.urls")),
    path("<slug:slug>/opinions/<int:pk>/", include("gorod.consultations.opinion_groups.urls")),
    path("<slug:slug>/model/<int:pk>/", include("gorod.consultations.model_3d.urls")),
    path("<slug:slug>/room/<int:pk>/", include("gorod.consultations.room.urls")),
    path("<slug:slug>/m/<int:pk>/flag/<str:target>/<int:item>/", contribution.flag_view, name="flag"),
    path(
        "<slug:slug>/m/<int:pk>/moderate/<str:target>/<int:item>/",
        contribution.moderate_view,
        name="moderate",
    ),
    # Map feedback (map_feedback/): the module's page, agree, heatmap and export, the staff page.
    path("<slug:slug>/map/<int:pk>/", map_feedback.module_page, name="map"),
    path("<slug:slug>/map/<int:pk>/<int:contribution>/agree/", map_feedback.agree_view, name="map-agree"),
    path("<slug:slug>/map/<int:pk>/heatmap.geojson", map_feedback.heatmap_view, name="map-heatmap"),
    path("<slug:slug>/map/<int:pk>/contributions.geojson", map_feedback.export_view, name="map-export"),
    path("<slug:slug>/map/<int:pk>/staff/", map_feedback.staff_page, name="map-staff"),
]
