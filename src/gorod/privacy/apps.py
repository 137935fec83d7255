from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """What Gorod holds about one person across the apps: their account page, the data export and the
    erasure. It sits above every app it reads, so accounts stays identity only. No models yet."""

    name = "gorod.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
