from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "gorod.open311"
    label = "open311"
