from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gorod.core"
    label = "core"
