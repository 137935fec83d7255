from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrioritiesConfig(AppConfig):
    name = "gorod.budgeting.priorities"
    label = "priorities"
    verbose_name = _("Budget priorities game")
    default_auto_field = "django.db.models.BigAutoField"
