from django.urls import path

from gorod.info.stories import staff_views

app_name = "stories-desk"

urlpatterns = [
    path("", staff_views.queue, name="list"),
    path("<int:pk>/", staff_views.detail, name="story"),
    path("<int:pk>/<slug:name>/", staff_views.action, name="action"),
]
