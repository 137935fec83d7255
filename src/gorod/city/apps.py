from django.apps import AppConfig


class CityConfig(AppConfig):
    name = "gorod.city"
    label = "city"
