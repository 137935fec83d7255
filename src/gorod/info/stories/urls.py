from django.urls import path

from gorod.info.stories import views

app_name = "stories"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.story_new, name="new"),
    path("<int:pk>/", views.story_page, name="story"),
    path("districts/<slug:slug>/", views.district_page, name="district"),
    path("authors/<str:key>/", views.author_page, name="author"),
    path("photos/<int:pk>.jpg", views.photo, name="photo"),
]
