from django.urls import path

from gorod.consultations.opinion_groups import views

# Included under /projects/<slug>/opinions/<pk>/ in the consultations namespace.
urlpatterns = [
    path("", views.page, name="opinions"),
    path("add/", views.add, name="opinion-add"),
    path("<int:sid>/vote/", views.vote, name="opinion-vote"),
]
