"""A map contribution and its agreements. The shape is GeoJSON checked by consultations.areas; its
representative point and that point's H3 cell (core.geo.STORE_RESOLUTION) are stored beside it so the
heatmap groups by an indexed integer instead of parsing shapes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.consultations.contributions import Moderated, register
from gorod.core.models import BaseModel


class Sentiment(models.IntegerChoices):
    VERY_NEGATIVE = 1, _("very negative")
    NEGATIVE = 2, _("negative")
    NEUTRAL = 3, _("neutral")
    POSITIVE = 4, _("positive")
    VERY_POSITIVE = 5, _("very positive")


class Shape(models.TextChoices):
    POINT = "point", _("a point")
    LINE = "line", _("a line")
    AREA = "area", _("an area")


class MapContribution(Moderated, BaseModel):
    module = models.ForeignKey(
        "consultations.Module",
        on_delete=models.CASCADE,
        related_name="map_contributions",
        verbose_name=_("module"),
    )
    # Null for a paper response, and after the author's account is erased: the contribution stays, nameless.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    shape = models.CharField(_("shape"), max_length=10, choices=Shape.choices)
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    cell = models.BigIntegerField(_("H3 cell"))
    sentiment = models.PositiveSmallIntegerField(
        _("sentiment"),
        choices=Sentiment.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    answers = models.JSONField(_("answers to the module's questions"), default=dict, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # A response written on paper at a meeting and typed in by staff: shown as such, never with a name.
    paper = models.BooleanField(_("paper response"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # Moderation (contributions.Moderated) hides, never deletes: the reason is shown where it was; with
    # pre-moderation a new contribution is `awaiting` until a moderator publishes it.
    # Kept in step with Agreement rows inside the agree transaction, so lists never count per row.
    agree_count = models.PositiveIntegerField(_("agreements"), default=0)

    class Meta:
        verbose_name = _("map contribution")
        verbose_name_plural = _("map contributions")
        ordering = ["-created", "-id"]
        indexes = [
            # The heatmap: GROUP BY cell over the visible rows of one module, from the index alone.
            models.Index(
                fields=["module", "hidden", "awaiting", "cell", "sentiment"], name="consult_map_heat_v2"
            ),
            models.Index(fields=["module", "created"], name="consult_map_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sentiment__gte=1, sentiment__lte=5), name="consult_map_sentiment_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module_id}: {self.pk}"

    @property
    def summary(self) -> str:
        """What the moderation desk shows: a pin may have no comment, so its feeling, shape and tags too."""
        parts = [str(self.get_sentiment_display()).capitalize(), str(self.get_shape_display())]
        parts += [str(tag) for tag in self.tags or []]
        head = ", ".join(parts)
        return f"{head}: {self.comment}" if self.comment else head


class MapAgreement(models.Model):
    """One person agrees with a contribution, once: the unique constraint is the guard, so two presses at
    the same moment make one row and the second is told it already counted."""

    contribution = models.ForeignKey(
        MapContribution, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("contribution")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    created = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "user"], name="consult_map_agree_once")
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id}: {self.user_id}"


def _moderated(item) -> None:
    """A moderator hid, showed or published a contribution: the cached heatmap and counts are stale."""
    from gorod.consultations.map_feedback.selectors import heatmap_changed

    heatmap_changed(item.module_id)


register(
    "map_contribution", MapContribution, module_path="module", text_field="summary", on_change=_moderated
)
