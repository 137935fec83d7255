from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.core.models import BaseModel


class ApiKey(BaseModel):
    """An Open311 client's key. Only a SHA-256 of the key is stored; the key is shown once, at creation."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("first characters (to recognise it)"), max_length=8)
    key_hash = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True)
    # A key of one municipality may file only there; without one it serves every municipality.
    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("municipality")
    )
    active = models.BooleanField(_("active"), default=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
