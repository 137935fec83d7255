from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfoConfig(AppConfig):
    name = "gorod.info"
    label = "info"
    verbose_name = _("Information")
    default_auto_field = "django.db.models.BigAutoField"
