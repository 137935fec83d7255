from django.urls import path

from gorod.info.news import staff_views

app_name = "news-staff"

urlpatterns = [
    path("", staff_views.staff_home, name="home"),
    path("new/", staff_views.news_edit, name="news-new"),
    path("<int:pk>/edit/", staff_views.news_edit, name="news-edit"),
    path("<int:pk>/delete/", staff_views.news_delete, name="news-delete"),
    path("works/new/", staff_views.work_edit, name="work-new"),
    path("works/<int:pk>/edit/", staff_views.work_edit, name="work-edit"),
    path("works/<int:pk>/delete/", staff_views.work_delete, name="work-delete"),
]
