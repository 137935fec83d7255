from django.urls import path

from gorod.budgeting.priorities import views

app_name = "priorities"

urlpatterns = [
    path("", views.game_list, name="list"),
    path("<slug:slug>/", views.game_play, name="play"),
    path("<slug:slug>/results/", views.game_results, name="results"),
    path("<slug:slug>/export.pb", views.game_export, name="export"),
]
