from django.urls import path

from gorod.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/link/", views.link_request, name="link-request"),
    path("login/link/<str:token>/", views.link_use, name="link"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", views.signup, name="signup"),
    path("otp/", views.otp_view, name="otp"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup-codes"),
    path("password/", views.password, name="password"),
]
