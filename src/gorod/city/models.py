"""The city as configuration: everything here is loaded by `gorod import_city` or edited in the admin,
never hard-coded. Names carry a Russian (`name`) and an English (`name_en`) form."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.city.colours import MIN_CONTRAST, contrast_with_white, shown
from gorod.core.i18n import localized
from gorod.core.models import BaseModel

slug_validator = RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", _("Lower-case letters, digits, - and _ only."))
# Only #rrggbb: the value goes into the page's CSS, so nothing else may ever reach it (admin edits too).
_COLOUR = re.compile(r"#[0-9a-f]{6}")
colour_validator = RegexValidator(f"^{_COLOUR.pattern}$", _("Use #rrggbb in lower case, e.g. #12326b."))
month_day_validator = RegexValidator(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", _("Use MM-DD, e.g. 04-16."))


def day_month(month_day: str) -> str:
    """A season's "MM-DD" the way residents write a date: "15.05" (day.month)."""
    if not month_day:
        return ""
    month, day = month_day.split("-")
    return f"{day}.{month}"


class Bilingual(models.Model):
    name = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the active language, falling back to Russian."""
        return localized(self.name, self.name_en)


class Municipality(Bilingual, BaseModel):
    slug = models.SlugField(_("slug"), unique=True, validators=[slug_validator])
    jurisdiction_id = models.CharField(_("Open311 jurisdiction_id"), max_length=100, unique=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    center_lat = models.FloatField(_("map centre latitude"))
    center_lon = models.FloatField(_("map centre longitude"))
    default_zoom = models.PositiveSmallIntegerField(_("default map zoom"), default=10)
    # Months after a report is closed until its contact details are deleted (privacy.retention).
    contact_retention_months = models.PositiveSmallIntegerField(
        _("months to keep contact details after closing"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    # Links in this municipality's mails start here; empty: the installation's GOROD_SITE_URL.
    site_url = models.URLField(_("site address"), max_length=200, blank=True)
    address_example = models.CharField(_("address example (Russian)"), max_length=200, blank=True)
    address_example_en = models.CharField(_("address example (English)"), max_length=200, blank=True)
    budgeting_name = models.CharField(_("budgeting programme (Russian)"), max_length=200, blank=True)
    budgeting_name_en = models.CharField(_("budgeting programme (English)"), max_length=200, blank=True)
    # Against floods of reports from nobody in particular: those filed without signing in stay out of
    # public lists, the map and Open311 until a moderator has accepted or rejected them.
    hide_anonymous_until_moderated = models.BooleanField(
        _("reports filed without signing in are public only once moderated"), default=False
    )
    # The header's colours (white text stands on both: the city file checks their contrast) and the logo
    # shown instead of Gorod's mark, a PNG re-encoded on import (city.cityfile.brand).
    brand_primary = models.CharField(
        _("brand colour"), max_length=7, default="#12326b", validators=[colour_validator]
    )
    brand_accent = models.CharField(
        _("accent colour"), max_length=7, default="#0c244f", validators=[colour_validator]
    )
    logo = models.FileField(_("logo"), upload_to="brand/", blank=True)
    # A training copy for staff (`gorod sandbox`, docs/sandbox.md): its pages carry a banner, its mails go
    # nowhere, and it is left out of Open311, open data and every choice of a default municipality.
    is_sandbox = models.BooleanField(_("training sandbox"), default=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def clean(self) -> None:
        # The admin may change the colours; white text must stay readable on them as the city file checks.
        problems = {}
        for field in ("brand_primary", "brand_accent"):
            value = getattr(self, field)
            if _COLOUR.fullmatch(value) and contrast_with_white(value) < MIN_CONTRAST:
                problems[field] = _(
                    "White text on this colour has a contrast of %(ratio)s:1; "
                    "at least %(needed)s:1 is needed."
                ) % {"ratio": shown(contrast_with_white(value)), "needed": MIN_CONTRAST}
        if problems:
            raise ValidationError(problems)

    @property
    def address_example_label(self) -> str:
        return localized(self.address_example, self.address_example_en)

    @property
    def budgeting_label(self) -> str:
        return localized(self.budgeting_name, self.budgeting_name_en)


class SiteHost(BaseModel):
    """A host name the public site answers on for this municipality (city.selectors.municipality_for_host)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="site_hosts", verbose_name=_("municipality")
    )
    host = models.CharField(_("host name"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("site host")
        verbose_name_plural = _("site hosts")

    def __str__(self) -> str:
        return self.host


class District(Bilingual, BaseModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts", verbose_name=_("municipality")
    )
    slug = models.SlugField(_("slug"), validators=[slug_validator])
    population = models.PositiveIntegerField(_("population"), default=0)
    boundary = models.JSONField(_("boundary (GeoJSON Polygon or MultiPolygon)"))

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "slug"], name="district_slug_unique")]


class Department(Bilingual, BaseModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="departments", verbose_name=_("municipality")
    )
    slug = models.SlugField(_("slug"), validators=[slug_validator])
    email = models.EmailField(_("work e-mail"), blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="department_slug_unique")
        ]


class ObjectType(Bilingual, BaseModel):
    """A group of categories by the kind of object: yard, building, road, park, transport, …"""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="object_types", verbose_name=_("municipality")
    )
    slug = models.SlugField(_("slug"), validators=[slug_validator])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("object type")
        verbose_name_plural = _("object types")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="object_type_slug_unique")
        ]


class Category(Bilingual, BaseModel):
    """One row of the classifier (object + problem) = one Open311 service."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="categories", verbose_name=_("municipality")
    )
    object_type = models.ForeignKey(
        ObjectType, on_delete=models.PROTECT, related_name="categories", verbose_name=_("object type")
    )
    service_code = models.CharField(_("Open311 service code"), max_length=64, validators=[slug_validator])
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    moderation_days = models.PositiveSmallIntegerField(_("moderation, working days"), default=1)
    deadline_days = models.PositiveSmallIntegerField(
        _("executor deadline, working days"), default=8, validators=[MinValueValidator(1)]
    )
    season_start = models.CharField(
        _("season starts (MM-DD)"), max_length=5, blank=True, validators=[month_day_validator]
    )
    season_end = models.CharField(
        _("season ends (MM-DD)"), max_length=5, blank=True, validators=[month_day_validator]
    )
    photo_proof_required = models.BooleanField(_("photo proof of the fix required"), default=False)
    anonymous_allowed = models.BooleanField(_("anonymous reports allowed"), default=False)
    answer_moderation = models.BooleanField(
        _("department answers are checked by a moderator before publication"), default=False
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["object_type__order", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "service_code"], name="category_code_unique")
        ]

    def clean(self) -> None:
        if bool(self.season_start) != bool(self.season_end):
            raise ValidationError(_("A seasonal window needs both a start and an end."))

    @property
    def label_description(self) -> str:
        return localized(self.description, self.description_en)

    @property
    def season_start_label(self) -> str:
        return day_month(self.season_start)

    @property
    def season_end_label(self) -> str:
        return day_month(self.season_end)

    def in_season(self, day: dt.date) -> bool:
        """Whether reports may be filed on `day`. A window may wrap the new year (11-15 to 03-31)."""
        if not self.season_start:
            return True
        md = day.strftime("%m-%d")
        if self.season_start <= self.season_end:
            return self.season_start <= md <= self.season_end
        return md >= self.season_start or md <= self.season_end


class Attribute(BaseModel):
    """An Open311 service-definition attribute of a category."""

    class Datatype(models.TextChoices):
        STRING = "string", _("short text")
        NUMBER = "number", _("number")
        DATETIME = "datetime", _("date and time")
        TEXT = "text", _("long text")
        SINGLEVALUELIST = "singlevaluelist", _("one of a list")
        MULTIVALUELIST = "multivaluelist", _("several of a list")

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("category")
    )
    code = models.CharField(_("code"), max_length=64, validators=[slug_validator])
    datatype = models.CharField(_("datatype"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    # Open311's `variable=false` marks an informational attribute with no value to enter.
    variable = models.BooleanField(_("takes a value"), default=True)
    description = models.CharField(_("question (Russian)"), max_length=500)
    description_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    datatype_description = models.CharField(_("hint"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    values = models.JSONField(_("values (list of {key, name, name_en})"), default=list, blank=True)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="attribute_code_unique")]

    @property
    def label(self) -> str:
        return localized(self.description, self.description_en)

    @property
    def is_list(self) -> bool:
        return self.datatype in (self.Datatype.SINGLEVALUELIST, self.Datatype.MULTIVALUELIST)

    def value_keys(self) -> list[str]:
        return [str(v["key"]) for v in self.values]


class RoutingRule(BaseModel):
    """Which department takes a category's reports in a district. A rule without a district applies to
    every district that has no rule of its own."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, verbose_name=_("municipality"))
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("category")
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("district")
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, verbose_name=_("department"))

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "district"], name="routing_rule_unique"),
            models.UniqueConstraint(
                fields=["category"], condition=models.Q(district=None), name="routing_default_unique"
            ),
        ]


class CalendarDay(BaseModel):
    """An exception to the Mon-Fri week: a public holiday, or a weekend day made a working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday")
        WORKDAY = "workday", _("moved working day")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="calendar_days", verbose_name=_("municipality")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["municipality", "date"], name="calendar_day_unique")]


class Place(Bilingual, BaseModel):
    """A gazetteer entry (street, square, landmark) so that a typed address can be placed on the map
    without calling an outside geocoder."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="places", verbose_name=_("municipality")
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]


class RejectionReason(Bilingual, BaseModel):
    """A reason a moderator may give for rejecting a report; the citizen is told its text."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="rejection_reasons",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), validators=[slug_validator])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="rejection_reason_code")]


class ResponseTemplate(BaseModel):
    """A ready answer for a workflow action, for one category or (category empty) for all. The text may
    hold placeholders such as {id}, {category}, {address}, {deadline}, {department}; they are filled
    with plain text and the result is always escaped when shown."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="response_templates",
        verbose_name=_("municipality"),
    )
    category = models.ForeignKey(
        "Category", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("category")
    )
    action = models.CharField(_("workflow action"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text (Russian)"), max_length=4000)
    text_en = models.TextField(_("text (English)"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["action", "title"]

    def __str__(self) -> str:
        return self.title
