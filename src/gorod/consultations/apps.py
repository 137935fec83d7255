from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "gorod.consultations"
    label = "consultations"
    verbose_name = _("Engagement projects")
    default_auto_field = "django.db.models.BigAutoField"
