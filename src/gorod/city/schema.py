"""The city configuration file format (YAML or JSON), as pydantic models. docs/city-config.md describes
it for administrators; keep the two in step."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    field_validator,
    model_validator,
)

from gorod.city.cityfile.problems import CityFileInvalid, Path, Problems
from gorod.city.colours import MIN_CONTRAST, contrast_with_white, shown

SLUG = r"^[a-z0-9][a-z0-9_-]*$"
MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LOCAL_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


class Bad(ValueError):
    """A value refused with one of cityfile.messages' messages (its key and the message's parameters)."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key, self.params = key, params


def parse_day(value: object) -> dt.date:
    """A calendar date written YYYY-MM-DD or, the local way, DD.MM.YYYY."""
    if isinstance(value, dt.date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if match := _ISO_DAY.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _LOCAL_DAY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise Bad("date_format")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Bad("no_such_day") from None


def _month_day(value: str) -> str:
    try:
        dt.date(2000, int(value[:2]), int(value[3:]))  # a leap year: 02-29 is a day of some years
    except ValueError:
        raise Bad("no_such_day") from None
    return value


def _host(value: str) -> str:
    value = value.lower().rstrip(".")
    if not _HOST.fullmatch(value):
        raise Bad("host")
    return value


_COLOUR = re.compile(r"#([0-9a-f]{3}|[0-9a-f]{6})")


def _colour(value: str) -> str:
    """#rrggbb in lower case, dark enough for white text; #rgb is widened."""
    value = value.lower()
    if not _COLOUR.fullmatch(value):
        raise Bad("colour")
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise Bad("contrast", value=value, ratio=shown(ratio), needed=MIN_CONTRAST)
    return value


def _logo_path(value: str) -> str:
    path = PurePosixPath(value.replace("\\", "/"))
    if not value or path.is_absolute() or ".." in path.parts or re.match(r"[a-zA-Z]:", value):
        raise Bad("logo_path")
    return value


Day = Annotated[dt.date, PlainValidator(parse_day)]
Colour = Annotated[str, AfterValidator(_colour)]
MonthDay = Annotated[str, Field(pattern=MONTH_DAY), AfterValidator(_month_day)]
Host = Annotated[str, AfterValidator(_host)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Named(Strict):
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)


class SiteIn(Strict):
    """The municipality's own public address: links in its mails use `url`; a request for one of
    `hosts` (by default the url's) shows this municipality."""

    url: str = Field(max_length=200)
    hosts: list[Host] = []

    @field_validator("url")
    @classmethod
    def web_address(cls, value: str) -> str:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise Bad("url") from None
        return value.rstrip("/")

    @model_validator(mode="after")
    def hosts_default_to_the_url(self) -> SiteIn:
        if not self.hosts:
            self.hosts = [(urlsplit(self.url).hostname or "").lower()]
        return self


class BrandIn(Strict):
    """The header's colours and the logo shown in it instead of Gorod's mark (docs/city-config.md)."""

    primary: Colour = "#12326b"  # the header; Gorod's own blue when the file names none
    accent: Colour = "#0c244f"  # the menu bar under it and buttons' hover
    logo: Annotated[str, Field(max_length=200), AfterValidator(_logo_path)] | None = None


class MunicipalityIn(Named):
    slug: str = Field(pattern=SLUG, max_length=50)
    jurisdiction_id: str = Field(min_length=1, max_length=100)
    timezone: str = "Europe/Moscow"
    center: tuple[float, float]
    zoom: int = Field(10, ge=1, le=19)
    site: SiteIn | None = None
    brand: BrandIn = BrandIn()
    # Shown as the example in the address field's hint: a street residents of this city would type.
    address_example: str = Field("", max_length=200)
    address_example_en: str = Field("", max_length=200)
    # The name of the city's participatory budgeting programme, if it has one of its own.
    budgeting_name: str = Field("", max_length=200)
    budgeting_name_en: str = Field("", max_length=200)
    hide_anonymous_until_moderated: bool = False
    # A training sandbox (docs/sandbox.md): marked pages, mails to nowhere, out of Open311 and open data.
    sandbox: bool = False

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise Bad("timezone", value=value) from None
        return value


class DistrictIn(Named):
    slug: str = Field(pattern=SLUG, max_length=50)
    population: int = Field(0, ge=0)
    boundary: dict  # checked as geometry by cityfile.boundaries, which can point into its rings


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
                raise Bad("email") from None
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
            raise Bad("list_needs_values", datatype=self.datatype)
        if not is_list and self.values:
            raise Bad("list_takes_no_values", datatype=self.datatype)
        return self


class SeasonIn(Strict):
    start: MonthDay
    end: MonthDay


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
    holidays: list[Day] = []
    workdays: list[Day] = []


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
                raise Bad("placeholder", placeholder="{" + name + "}", known=known)
        return value


class RetentionIn(Strict):
    # Months after a report is closed until its contact details are deleted (docs/security.md).
    contact_months: int = Field(12, ge=1, le=120)


class CityFile(Strict):
    """A whole file. Built by cityfile.parse_city_file, which keeps what it found on the way: the
    warnings for the administrator, and where each value was written for problems found later."""

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
    retention: RetentionIn = RetentionIn(contact_months=12)

    _problems: Problems | None = PrivateAttr(None)
    _logo: bytes | None = PrivateAttr(None)

    def attach(self, problems: Problems, *, logo: bytes | None = None) -> None:
        self._problems = problems
        self._logo = logo

    @property
    def logo_png(self) -> bytes | None:
        """The brand's logo, read and re-encoded (core.images.clean_logo) when the file was checked."""
        return self._logo

    @property
    def warnings(self) -> list[str]:
        return self._problems.warnings() if self._problems is not None else []

    def refusal(self, path: Path, name: str, /, **params: Any) -> CityFileInvalid:
        """A problem only the import can see (the database already has the value), said as the others."""
        known = self._problems
        problems = Problems(known.data, known.marks) if known else Problems(self.model_dump(), {})
        problems.add(path, name, **params)
        return CityFileInvalid([problems.describe(problems.found[0])])
