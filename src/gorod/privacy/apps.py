from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """What Gorod holds about one person across the apps: their account page, the data export, the
    erasure, what withdrawing a consent stops, and the retention of reports' contact details. It sits
    above every app it reads and writes, so accounts stays identity only. No models of its own: consents
    are accounts', the audit trail is core's."""

    name = "gorod.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
