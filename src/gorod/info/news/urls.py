from django.urls import path

from gorod.info.news import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.news_list, name="list"),
    path("<int:pk>/", views.news_detail, name="detail"),
    path("works/", views.works_list, name="works"),
    path("works.geojson", views.works_geojson, name="works-geojson"),
    path("works/near/", views.works_near, name="works-near"),
    path("works/<int:pk>/", views.work_detail, name="work"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Stable feed addresses: the city's, and one per district by its slug.
    path("rss/", feeds.NewsRss(), name="rss"),
    path("atom/", feeds.NewsAtom(), name="atom"),
    path("works.ics", feeds.works_ical, name="ical"),
    path("district/<slug:slug>/rss/", feeds.NewsRss(), name="district-rss"),
    path("district/<slug:slug>/atom/", feeds.NewsAtom(), name="district-atom"),
    path("district/<slug:slug>/works.ics", feeds.works_ical, name="district-ical"),
]
