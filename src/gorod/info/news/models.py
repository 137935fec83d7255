"""News of the city and its districts, planned works and outages, and residents' subscriptions to an
area. Texts are written by staff in the city's language; the body is Markdown, rendered and sanitized
(info.guides.render_markdown) when shown, never stored as HTML."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.city.models import District, Municipality
from gorod.core.crypto import EncryptedTextField
from gorod.core.models import BaseModel


class NewsTag(BaseModel):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, verbose_name=_("municipality"))
    slug = models.SlugField(_("slug"), max_length=60, allow_unicode=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("news tag")
        verbose_name_plural = _("news tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "slug"], name="news_tag_unique")]

    def __str__(self) -> str:
        return self.name


class NewsItem(BaseModel):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, verbose_name=_("municipality"))
    # Empty: news of the whole city.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("text (Markdown)"), max_length=20000)
    tags = models.ManyToManyField(NewsTag, blank=True, related_name="items", verbose_name=_("tags"))
    # Hidden from every public page, feed and mail until this moment (core.clock).
    published_at = models.DateTimeField(_("published at"), db_index=True)
    # Set by the worker once the subscribers of the area have been mailed (idempotent announcement).
    announced = models.BooleanField(_("subscribers told"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("author")
    )

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["municipality", "-published_at"], name="news_published")]

    def __str__(self) -> str:
        return self.title


def _news_photo_path(instance: NewsPhoto, filename: str) -> str:
    # Never the uploader's file name: it may carry personal data or hostile text.
    return f"news/{uuid.uuid4().hex}.jpg"


class NewsPhoto(BaseModel):
    item = models.ForeignKey(
        NewsItem, on_delete=models.CASCADE, related_name="photos", verbose_name=_("news item")
    )
    image = models.ImageField(
        _("image"), upload_to=_news_photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    alt = models.CharField(_("description for screen readers"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("news photo")
        verbose_name_plural = _("news photos")
        ordering = ["order", "id"]


class PlannedWork(BaseModel):
    class Kind(models.TextChoices):
        ROADWORKS = "roadworks", _("roadworks")
        HOT_WATER = "hot_water", _("hot water shut off")
        COLD_WATER = "cold_water", _("cold water shut off")
        HEATING = "heating", _("heating shut off")
        ELECTRICITY = "electricity", _("power cut")
        LANDSCAPING = "landscaping", _("landscaping")
        OTHER = "other", _("other works")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, verbose_name=_("municipality"))
    # The district holding the shape's representative point (computed, never typed).
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("district"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # A GeoJSON geometry (Point, LineString or Polygon, lon/lat), valid and inside the city.
    geometry = models.JSONField(_("place (GeoJSON)"))
    # The shape's bounding box, for finding works near a point without reading every shape.
    south = models.FloatField(_("south"))
    west = models.FloatField(_("west"))
    north = models.FloatField(_("north"))
    east = models.FloatField(_("east"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), db_index=True)
    published_at = models.DateTimeField(_("published at"), db_index=True)
    announced = models.BooleanField(_("subscribers told"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("author")
    )

    class Meta:
        verbose_name = _("planned work")
        verbose_name_plural = _("planned works")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")), name="work_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class AreaSubscription(BaseModel):
    """A resident's wish to be mailed about news and works of a district, or within a radius of a point.
    The address is encrypted; its keyed hash finds an address's subscriptions without decrypting."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, verbose_name=_("municipality"))
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("district")
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius, m"), null=True, blank=True)
    email = EncryptedTextField(_("e-mail"))
    email_hash = models.CharField(_("e-mail look-up hash"), max_length=64, db_index=True)
    language = models.CharField(_("language"), max_length=8, default="ru")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("area subscription")
        verbose_name_plural = _("area subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(district__isnull=False)
                | models.Q(lat__isnull=False, lon__isnull=False, radius_m__isnull=False),
                name="subscription_has_area",
            )
        ]
