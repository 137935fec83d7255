from django.urls import path

from gorod.consultations.text_review import views

# Included under /projects/<slug>/draft/<pk>/ in the consultations namespace.
urlpatterns = [
    path("", views.page, name="text-review"),
    path("<int:para>/comment/", views.comment, name="paragraph-comment"),
]
