from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its management commands (seed_demo, demo_accounts, demo_totp); it has no models."""

    name = "gorod.demo"
    label = "demo"
