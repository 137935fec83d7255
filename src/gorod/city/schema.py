"""The city configuration file format (YAML or JSON), as pydantic models. docs/city-config.md describes
it for administrators; keep the two in step."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from shapely.geometry import shape

SLUG = r"^[a-z0-9][a-z0-9_-]*$"
MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Named(Strict):
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)


class MunicipalityIn(Named):
    slug: str = Field(pattern=SLUG, max_length=50)
    jurisdiction_id: str = Field(min_length=1, max_length=100)
    timezone: str = "Europe/Moscow"
    center: tuple[float, float]
    zoom: int = Field(10, ge=1, le=19)
    hide_anonymous_until_moderated: bool = False

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class DistrictIn(Named):
    slug: str = Field(pattern=SLUG, max_length=50)
    population: int = Field(0, ge=0)
    boundary: dict

    @field_validator("boundary")
    @classmethod
    def valid_polygon(cls, value: dict) -> dict:
        if value.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValueError("must be a GeoJSON Polygon or MultiPolygon")
        try:
            geom = shape(value)
        except Exception as exc:  # shapely raises several types for malformed coordinates
            raise ValueError(f"is not valid GeoJSON: {exc}") from None
        if geom.is_empty or not geom.is_valid:
            raise ValueError("polygon is empty or self-intersecting")
        x0, y0, x1, y1 = geom.bounds
        if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
            raise ValueError("coordinates must be [longitude, latitude] in degrees")
        return value


class DepartmentIn(Named):
    slug: str = Field(pattern=SLUG, max_length=50)
    email: str = Field("", max_length=254)

    @field_validator("email")
    @classmethod
    def valid_email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValueError(f"{value!r} is not an e-mail address") from None
        return value


class ObjectTypeIn(Named):
    slug: str = Field(pattern=SLUG, max_length=50)


class AttributeValueIn(Strict):
    key: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)


class AttributeIn(Strict):
    code: str = Field(pattern=SLUG, max_length=64)
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool = False
    variable: bool = True
    description: str = Field(min_length=1, max_length=500)
    description_en: str = Field("", max_length=500)
    datatype_description: str = Field("", max_length=300)
    values: list[AttributeValueIn] = []

    @model_validator(mode="after")
    def lists_have_values(self) -> AttributeIn:
        is_list = self.datatype in ("singlevaluelist", "multivaluelist")
        if is_list and not self.values:
            raise ValueError(f"a {self.datatype} needs values")
        if not is_list and self.values:
            raise ValueError(f"a {self.datatype} takes no values")
        keys = [v.key for v in self.values]
        if len(keys) != len(set(keys)):
            raise ValueError("value keys must be unique")
        return self


class SeasonIn(Strict):
    start: str = Field(pattern=MONTH_DAY)
    end: str = Field(pattern=MONTH_DAY)


class CategoryIn(Named):
    service_code: str = Field(pattern=SLUG, max_length=64)
    object_type: str
    description: str = ""
    description_en: str = ""
    keywords: str = Field("", max_length=300)
    moderation_days: int = Field(1, ge=0, le=60)
    deadline_days: int = Field(8, ge=1, le=365)
    season: SeasonIn | None = None
    photo_proof_required: bool = False
    anonymous_allowed: bool = False
    answer_moderation: bool = False  # a moderator checks the department's answers before they are public
    active: bool = True
    department: str | None = None  # the default department: a routing rule for every district
    attributes: list[AttributeIn] = []


class RoutingIn(Strict):
    category: str
    district: str
    department: str


class CalendarIn(Strict):
    holidays: list[dt.date] = []
    workdays: list[dt.date] = []


class PlaceIn(Named):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class RejectionReasonIn(Named):
    code: str = Field(pattern=SLUG, max_length=50)


# The workflow actions a department or moderator answers with; a template for any other is an error.
TEMPLATE_ACTIONS = ("accept", "reject", "mark_duplicate", "start", "resolve", "reopen", "transfer")
# The placeholders a response template may use (backoffice fills them with plain text).
TEMPLATE_PLACEHOLDERS = ("id", "category", "address", "deadline", "department")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class ResponseTemplateIn(Strict):
    action: Literal["accept", "reject", "mark_duplicate", "start", "resolve", "reopen", "transfer"]
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=4000)
    text_en: str = Field("", max_length=4000)
    category: str | None = None  # a service_code; none: the template serves every category

    @field_validator("text", "text_en")
    @classmethod
    def known_placeholders(cls, value: str) -> str:
        for name in _PLACEHOLDER.findall(value):
            if name not in TEMPLATE_PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in TEMPLATE_PLACEHOLDERS)
                raise ValueError(f"unknown placeholder {{{name}}}; use {known}")
        return value


class CityFile(Strict):
    municipality: MunicipalityIn
    districts: list[DistrictIn] = Field(min_length=1)
    departments: list[DepartmentIn] = Field(min_length=1)
    object_types: list[ObjectTypeIn] = Field(min_length=1)
    categories: list[CategoryIn] = Field(min_length=1)
    routing: list[RoutingIn] = []
    calendar: CalendarIn = CalendarIn()
    places: list[PlaceIn] = []
    rejection_reasons: list[RejectionReasonIn] = []
    response_templates: list[ResponseTemplateIn] = []
