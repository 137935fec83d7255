from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gorod.accounts"
    label = "accounts"
