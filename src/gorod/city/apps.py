from django.apps import AppConfig


class CityConfig(AppConfig):
    name = "gorod.city"
    label = "city"

    def ready(self) -> None:
        from gorod.city import checks  # noqa: F401  (registers the start-up checks)
