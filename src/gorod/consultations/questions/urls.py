from django.urls import path

from gorod.consultations.questions import views

# Included under /projects/<slug>/questions/<pk>/ in the consultations namespace.
urlpatterns = [
    path("", views.page, name="questions"),
    path("ask/", views.ask, name="question-ask"),
    path("<int:qid>/upvote/", views.upvote, name="question-upvote"),
    path("<int:qid>/answer/", views.answer, name="question-answer"),
]
