"""Filing a report. The web form and the Open311 POST both call report_create, which runs three steps:

    validate   the citizen's input, every problem collected (ReportInvalid lists them all)
    place      coordinates (given, or geocoded from the address), district, department by routing rule
    persist    the report, its photos and its "submit" event, in one transaction

Validation reads the database only for the category's attributes, the geocoder and the district
polygons (cached per process); routing is one cached look-up. Nothing is written unless all is valid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.accounts.models import Consent
from gorod.accounts.services import consent_record
from gorod.city import selectors as city_selectors
from gorod.city.districts import district_for_report
from gorod.city.models import Category, Municipality
from gorod.core import clock, crypto, geo
from gorod.reports import events
from gorod.reports.attributes import clean_attributes
from gorod.reports.models import Report
from gorod.reports.services.common import at_most, clean_photos, not_allowed, photo_files, save_photo
from gorod.reports.services.deadlines import compute_deadlines
from gorod.reports.services.errors import ReportInvalid
from gorod.reports.workflow import Status

MAX_DESCRIPTION = 4000
MAX_ADDRESS = 300
MAX_EMAIL = 254  # RFC 5321 path limit, as the form has it


@dataclass
class NewReport:
    """What a citizen or a client gives us, before any validation."""

    category: Category | None
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    description: str = ""
    attributes: dict[str, str | list[str]] = field(default_factory=dict)
    photos: list[bytes] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    show_name: bool = False
    anonymous: bool = False


@dataclass
class Valid:
    """A NewReport that passed validation, cleaned, with its place found."""

    category: Category
    lat: float
    lon: float
    district_id: int
    address: str
    description: str
    attributes: dict
    contact_name: str
    contact_email: str
    contact_phone: str
    show_name: bool
    anonymous: bool
    photos: list[ContentFile]


def report_create(
    *,
    municipality: Municipality,
    data: NewReport,
    author=None,
    source: str = Report.Source.WEB,
) -> Report:
    """Validate, place, route and save a new report with its photos and first event.

    Raises ReportInvalid with every problem found; nothing is written in that case."""
    now = clock.now()
    valid = validate(municipality=municipality, data=data, now=now)
    department_id = city_selectors.department_id_for(
        municipality_id=municipality.pk, category_id=valid.category.pk, district_id=valid.district_id
    )
    return persist(
        municipality=municipality,
        valid=valid,
        department_id=department_id,
        author=author,
        source=source,
        now=now,
    )


class _Problems:
    """Every problem found, by field, in the order found (Open311 lists them in this order)."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def __contains__(self, name: str) -> bool:
        return name in self.by_field


def validate(*, municipality: Municipality, data: NewReport, now: dt.datetime) -> Valid:
    """The input cleaned and placed, or ReportInvalid listing every problem."""
    problems = _Problems()
    category = _check_category(problems, municipality, data.category, now)
    description, address = _check_texts(problems, data)
    place = place_of(problems, municipality, data.lat, data.lon, address)
    attributes: dict = {}
    if category is not None and "category" not in problems:
        attributes, attribute_errors = clean_attributes(list(category.attributes.all()), data.attributes)
        for code, message in attribute_errors.items():
            problems.add(f"attribute[{code}]", message)
    anonymous = bool(data.anonymous)
    if anonymous and category is not None and not category.anonymous_allowed:
        problems.add("anonymous", _("This category does not accept anonymous reports."))
    email = _check_contact(problems, data)
    photos, photo_problems = clean_photos(data.photos)
    for message in photo_problems:
        problems.add("media", message)
    if problems.by_field:
        raise ReportInvalid(problems.by_field)
    assert category is not None and place is not None
    return Valid(
        category=category,
        lat=place[0],
        lon=place[1],
        district_id=place[2],
        address=address,
        description=description,
        attributes=attributes,
        contact_name=(data.contact_name or "").strip(),
        contact_email=email,
        contact_phone=(data.contact_phone or "").strip(),
        show_name=bool(data.show_name) and not anonymous,
        anonymous=anonymous,
        photos=photos,
    )


def _check_category(
    problems: _Problems, municipality: Municipality, category: Category | None, now: dt.datetime
) -> Category | None:
    if category is None or category.municipality_id != municipality.pk or not category.active:
        problems.add("category", _("Choose a category of this city."))
    elif not category.in_season(timezone.localtime(now, ZoneInfo(municipality.timezone)).date()):
        problems.add(
            "category",
            _("“%(name)s” can be reported only between %(start)s and %(end)s.")
            % {
                "name": category.label,
                "start": category.season_start_label,
                "end": category.season_end_label,
            },
        )
    return category


def _check_texts(problems: _Problems, data: NewReport) -> tuple[str, str]:
    """The description and the address, stripped; NUL characters in any text are refused here."""
    # PostgreSQL cannot store NUL in text, and no honest client sends one: refuse it with the field named.
    for name, value in (
        ("description", data.description), ("address", data.address), ("name", data.contact_name),
        ("email", data.contact_email), ("phone", data.contact_phone),
    ):  # fmt: skip
        if value and "\x00" in value:
            problems.add(name, not_allowed())
    description = (data.description or "").strip()
    if not description:
        problems.add("description", _("Describe the problem."))
    elif len(description) > MAX_DESCRIPTION:
        problems.add("description", at_most(MAX_DESCRIPTION))
    address = (data.address or "").strip()
    if len(address) > MAX_ADDRESS:
        problems.add("address", at_most(MAX_ADDRESS))
    return description, address


def place_of(
    problems: _Problems, municipality: Municipality, lat: float | None, lon: float | None, address: str
) -> tuple[float, float, int] | None:
    """(lat, lon, district id): the coordinates given, or the address geocoded; None with a "location"
    problem when there is neither, or the place is not in the city."""
    if lat is None or lon is None:
        found = city_selectors.geocode(municipality, address) if address else None
        if found is None:
            problems.add(
                "location",
                _("Put a pin on the map, give coordinates, or type an address we know.")
                if not address
                else _("We could not find “%(address)s”; put a pin on the map instead.")
                % {"address": address[:80]},
            )
            return None
        lat, lon = found.lat, found.lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        problems.add("location", _("Coordinates are out of range."))
        return None
    district_id = district_for_report(municipality.pk, lat, lon)
    if district_id is None:
        problems.add("location", _("This place is outside %(city)s.") % {"city": municipality.label})
        return None
    return lat, lon, district_id


def _check_contact(problems: _Problems, data: NewReport) -> str:
    """The contact e-mail, stripped; problems with it, the name or the phone are added."""
    email = (data.contact_email or "").strip()
    if len(email) > MAX_EMAIL:  # validate_email allows 320; the form and SMTP paths stop at 254
        problems.add("email", at_most(MAX_EMAIL))
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            problems.add("email", _("Enter a valid e-mail address."))
    for name, value, limit in (("name", data.contact_name, 200), ("phone", data.contact_phone, 40)):
        if len((value or "").strip()) > limit:
            problems.add(name, at_most(limit))
    return email


def persist(
    *,
    municipality: Municipality,
    valid: Valid,
    department_id: int | None,
    author,
    source: str,
    now: dt.datetime,
) -> Report:
    """Write the report, its photos and its "submit" event in one transaction."""
    deadlines = compute_deadlines(category=valid.category, municipality=municipality, at=now)
    with photo_files() as saved, transaction.atomic():
        report = Report(
            municipality=municipality,
            category=valid.category,
            district_id=valid.district_id,
            department_id=department_id,
            status=Status.SUBMITTED,
            lat=valid.lat,
            lon=valid.lon,
            h3=geo.cell_of(valid.lat, valid.lon),
            address=valid.address,
            description=valid.description,
            attributes=valid.attributes,
            author=author,
            contact_name=valid.contact_name,
            contact_email=valid.contact_email,
            contact_phone=valid.contact_phone,
            email_hash=crypto.lookup_hash(valid.contact_email) if valid.contact_email else "",
            show_name=valid.show_name,
            anonymous=valid.anonymous,
            moderation_due=deadlines.moderation_due,
            deadline=deadlines.deadline,
            source=source,
            created=now,
        )
        # The token's uniqueness is the database's to enforce: no SELECT per report to check a uuid4.
        report.full_clean(
            exclude=["h3", "category", "district", "municipality", "department", "author"],
            validate_unique=False,
        )
        report.save()
        for order, content in enumerate(valid.photos):
            save_photo(report, content, saved, order=order)
        if author is not None and valid.show_name:
            # Ticking "show my name" is the consent to it (accounts.consent), recorded apart.
            consent_record(user=author, purpose=Consent.Purpose.PUBLISH_NAME, given=True)
        events.record(
            report=report,
            action="submit",
            from_status="",
            to_status=Status.SUBMITTED,
            actor=author,
            department_id=department_id,
        )
    return report
