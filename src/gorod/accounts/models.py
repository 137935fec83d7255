from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An account. Staff roles decide what the back office allows (issue 3 adds the predicates)."""

    class Role(models.TextChoices):
        CITIZEN = "citizen", _("citizen")
        MODERATOR = "moderator", _("moderator")
        EXECUTOR = "executor", _("department staff")
        DEPARTMENT_HEAD = "department_head", _("department head")
        CITY_ADMIN = "city_admin", _("city administrator")
        AUDITOR = "auditor", _("auditor")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    department = models.ForeignKey(
        "city.Department", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("department")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
