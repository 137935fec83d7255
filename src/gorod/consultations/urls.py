from django.urls import include, path

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
    # Q&A and idea wall modules, and the flags and moderation every contribution shares.
    path("<slug:slug>/questions/<int:pk>/", include("gorod.consultations.questions.urls")),
    path("<slug:slug>/ideas/<int:pk>/", include("gorod.consultations.ideas.urls")),
    path("<slug:slug>/m/<int:pk>/flag/<str:target>/<int:item>/", contribution.flag_view, name="flag"),
    path(
        "<slug:slug>/m/<int:pk>/moderate/<str:target>/<int:item>/",
        contribution.moderate_view,
        name="moderate",
    ),
]
