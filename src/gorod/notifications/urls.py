from django.urls import path

from gorod.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("alerts/new/", views.alert_new, name="alert-new"),
    path("alerts/<int:pk>/delete/", views.alert_delete, name="alert-delete"),
    path("follow/<int:report_id>/", views.follow, name="follow"),
    path("follow/<int:report_id>/email/", views.follow_email, name="follow-email"),
    path("follow/confirm/<str:token>/", views.follow_confirm, name="follow-confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("address/confirm/<str:token>/", views.address_confirm, name="address-confirm"),
    path("address/stop/<str:token>/", views.address_stop, name="address-stop"),
]
