"""Demand counters: one row per municipality, local day, kind and key with a number. Nothing in them
names, addresses or fingerprints a person: no IP, no User-Agent, no hash of either, no time of day."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.city.models import Municipality
from gorod.core.models import BaseModel


class DemandCounter(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("visitors of a service")
        FUNNEL = "funnel", _("visitors at a funnel step")
        DEVICE = "device", _("visitors by device class")
        LANGUAGE = "language", _("visitors by language")
        SEARCH_EMPTY = "search_empty", _("searches with no result")
        SEARCH_TERM = "search_term", _("search terms with no result, asked by several people")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    day = models.DateField(_("day (local)"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=80)
    value = models.PositiveBigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("demand counter")
        verbose_name_plural = _("demand counters")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "day", "kind", "key"], name="demand_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.key}={self.value}"


class DemandReport(BaseModel):
    """A month's demand report as the worker rendered it (PDF), kept for download."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    month = models.DateField(_("month (its first day)"))
    pdf = models.BinaryField(_("PDF"))

    class Meta:
        verbose_name = _("demand report")
        verbose_name_plural = _("demand reports")
        constraints = [models.UniqueConstraint(fields=["municipality", "month"], name="demand_report_unique")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.month:%Y-%m}"
