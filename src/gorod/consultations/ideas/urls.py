from django.urls import path

from gorod.consultations.ideas import views

# Included under /projects/<slug>/ideas/<pk>/ in the consultations namespace.
urlpatterns = [
    path("", views.page, name="ideas"),
    path("post/", views.post, name="idea-post"),
    path("<int:iid>/support/", views.support, name="idea-support"),
    path("<int:iid>/comment/", views.comment, name="idea-comment"),
]
