"""Daily rollups behind /stats/ and /performance/ (docs/stats.md). Rows are derived data: the worker
rewrites a whole (municipality, day) at once (analytics.stats.rollup), so they are never edited."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportDay(models.Model):
    """What happened on one local day to the reports of one district × category × department.

    Each figure is counted on the day it happened (filed, first answered, first resolved, disputed,
    rated), so a day's rows depend only on that day's events. Histograms are lists of counts over the
    fixed buckets of analytics.stats.buckets, so any set of rows sums to a valid histogram."""

    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    day = models.DateField(_("day"))
    district = models.ForeignKey(
        "city.District", on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    category = models.ForeignKey(
        "city.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    department = models.ForeignKey(
        "city.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    filed = models.PositiveIntegerField(_("reports filed"), default=0)
    responded = models.PositiveIntegerField(_("first responses"), default=0)
    resolved = models.PositiveIntegerField(_("first resolutions"), default=0)
    on_time = models.PositiveIntegerField(_("first resolutions on time"), default=0)
    resolutions = models.PositiveIntegerField(_("resolutions (every one)"), default=0)
    disputes = models.PositiveIntegerField(_("disputes"), default=0)
    response_hours = models.JSONField(_("first responses per bucket of hours"), default=list)
    resolution_days = models.JSONField(_("first resolutions per bucket of working days"), default=list)
    scores = models.JSONField(_("ratings per score 1–5"), default=list)

    class Meta:
        verbose_name = _("daily report figures")
        verbose_name_plural = _("daily report figures")
        indexes = [models.Index(fields=["municipality", "day"], name="stats_reportday_muni_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.district_id}/{self.category_id}/{self.department_id}"


class BallotDay(models.Model):
    """Ballots of one budgeting process and scope (district; empty: city-wide) cast on one local day
    (empty: imported ballots without a time)."""

    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    process = models.ForeignKey(
        "budgeting.Process", on_delete=models.CASCADE, related_name="+", verbose_name=_("process")
    )
    day = models.DateField(_("day"), null=True, blank=True)
    district = models.ForeignKey(
        "city.District", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("district"),
    )  # fmt: skip
    ballots = models.PositiveIntegerField(_("ballots"), default=0)

    class Meta:
        verbose_name = _("daily ballots")
        verbose_name_plural = _("daily ballots")
        indexes = [models.Index(fields=["municipality", "process"], name="stats_ballotday_muni_proc")]

    def __str__(self) -> str:
        return f"{self.process_id} {self.district_id} {self.day}: {self.ballots}"


class RollupState(models.Model):
    """How far a municipality's report rollups reach. `stamp` changes with every write, so readers
    (analytics.stats.cube) know when to reload what they hold in memory."""

    municipality = models.OneToOneField(
        "city.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    through = models.DateField(_("rolled up through (local day)"))
    stamp = models.CharField(_("version"), max_length=32)
    rolled_at = models.DateTimeField(_("rolled up at"))

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup states")

    def __str__(self) -> str:
        return f"{self.municipality_id} through {self.through}"
