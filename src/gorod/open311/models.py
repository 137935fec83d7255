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


class IdempotentPost(models.Model):
    """The first answer to a POST requests that carried an Idempotency-Key, kept 24 h so a client's retry
    (its answer was lost) gets that answer again instead of filing the report twice. Written in the same
    transaction as the report; the unique (scope, key) makes a concurrent retry wait and then replay."""

    # Whose keys these are: "key:<ApiKey id>" (or "ip:<address>" for posts without an API key).
    scope = models.CharField(_("scope"), max_length=80)
    # SHA-256 of the client's key: its keys are its own business and may be up to 255 characters.
    key_hash = models.CharField(_("SHA-256 of the idempotency key"), max_length=64)
    # SHA-256 of the request's canonical parameters (without the key), to tell a retry from misuse.
    request_hash = models.CharField(_("SHA-256 of the request"), max_length=64)
    created = models.DateTimeField(_("created"), db_index=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"))
    content_type = models.CharField(_("content type"), max_length=100)
    body = models.TextField(_("body"))
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("report")
    )

    class Meta:
        verbose_name = _("idempotent POST")
        verbose_name_plural = _("idempotent POSTs")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_hash"], name="open311_idempotent_post_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_hash[:8]}… ({self.status})"
