"""Every write to reports goes through here. The web form and the Open311 POST both call report_create."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.city import selectors as city_selectors
from gorod.city.districts import district_at
from gorod.city.models import Category, Department, Municipality
from gorod.core import clock, crypto, geo
from gorod.reports import events
from gorod.reports.attributes import clean_attributes
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.photos import PhotoRejected, clean_photo
from gorod.reports.workflow import TRANSITIONS, Status, target_of

MAX_DESCRIPTION = 4000


class ReportInvalid(ValidationError):
    """Input refused; `message_dict` maps a field name to its messages. Nothing was saved."""


@dataclass
class Deadlines:
    moderation_due: dt.date
    deadline: dt.date


def compute_deadlines(*, category: Category, municipality: Municipality, at: dt.datetime) -> Deadlines:
    """Moderation and executor deadlines in working days from the municipality's calendar, counted
    from the local date the report was filed; the executor's days start after moderation."""
    calendar = city_selectors.calendar_for(municipality.pk)
    local_day = timezone.localtime(at, ZoneInfo(municipality.timezone)).date()
    moderation_due = calendar.add_working_days(local_day, category.moderation_days)
    return Deadlines(moderation_due, calendar.add_working_days(moderation_due, category.deadline_days))


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


def report_create(
    *,
    municipality: Municipality,
    data: NewReport,
    author=None,
    source: str = Report.Source.WEB,
) -> Report:
    """Validate, place, route and save a new report with its photos and first event.

    Raises ReportInvalid with every problem found; nothing is written in that case."""
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    now = clock.now()
    category = data.category
    if category is None or category.municipality_id != municipality.pk or not category.active:
        fail("category", _("Choose a category of this city."))
    elif not category.in_season(timezone.localtime(now, ZoneInfo(municipality.timezone)).date()):
        fail(
            "category",
            _("“%(name)s” can be reported only between %(start)s and %(end)s (day-month).")
            % {"name": category.label, "start": _dm(category.season_start), "end": _dm(category.season_end)},
        )

    # PostgreSQL cannot store NUL in text, and no honest client sends one: refuse it with the field named.
    for name, value in (
        ("description", data.description), ("address", data.address), ("name", data.contact_name),
        ("email", data.contact_email), ("phone", data.contact_phone),
    ):  # fmt: skip
        if value and "\x00" in value:
            fail(name, _("Contains a character that is not allowed."))
    description = (data.description or "").strip()
    if not description:
        fail("description", _("Describe the problem."))
    elif len(description) > MAX_DESCRIPTION:
        fail("description", _("At most %(n)d characters.") % {"n": MAX_DESCRIPTION})
    address = (data.address or "").strip()
    if len(address) > 300:
        fail("address", _("At most %(n)d characters.") % {"n": 300})

    lat, lon = data.lat, data.lon
    district_id: int | None = None
    if lat is None or lon is None:
        place = city_selectors.geocode(municipality, address) if address else None
        if place is None:
            fail(
                "location",
                _("Put a pin on the map, give coordinates, or type an address we know.")
                if not address
                else _("We could not find “%(address)s”; put a pin on the map instead.")
                % {"address": address[:80]},
            )
        else:
            lat, lon = place.lat, place.lon
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            fail("location", _("Coordinates are out of range."))
        else:
            district_id = district_at(municipality.pk, lat, lon)
            if district_id is None:
                fail("location", _("This place is outside %(city)s.") % {"city": municipality.label})

    attr_values: dict = {}
    if category is not None and "category" not in errors:
        attr_values, attr_errors = clean_attributes(list(category.attributes.all()), data.attributes)
        for code, message in attr_errors.items():
            fail(f"attribute[{code}]", message)

    anonymous = bool(data.anonymous)
    if anonymous and category is not None and not category.anonymous_allowed:
        fail("anonymous", _("This category does not accept anonymous reports."))
    email = (data.contact_email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            fail("email", _("Enter a valid e-mail address."))
    for name, value, limit in (("name", data.contact_name, 200), ("phone", data.contact_phone, 40)):
        if len((value or "").strip()) > limit:
            fail(name, _("At most %(n)d characters.") % {"n": limit})

    if len(data.photos) > settings.GOROD_MAX_PHOTOS:
        fail("media", _("At most %(n)d photos.") % {"n": settings.GOROD_MAX_PHOTOS})
    cleaned_photos = []
    for raw in data.photos[: settings.GOROD_MAX_PHOTOS]:
        try:
            cleaned_photos.append(clean_photo(raw))
        except PhotoRejected as exc:
            fail("media", str(exc))

    if errors:
        raise ReportInvalid(errors)
    assert category is not None and district_id is not None and lat is not None and lon is not None

    department_id = city_selectors.department_id_for(
        municipality_id=municipality.pk, category_id=category.pk, district_id=district_id
    )
    deadlines = compute_deadlines(category=category, municipality=municipality, at=now)
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            report = Report(
                municipality=municipality,
                category=category,
                district_id=district_id,
                department_id=department_id,
                status=Status.SUBMITTED,
                lat=lat,
                lon=lon,
                h3=geo.cell_of(lat, lon),
                address=address,
                description=description,
                attributes=attr_values,
                author=author,
                contact_name=(data.contact_name or "").strip(),
                contact_email=email,
                contact_phone=(data.contact_phone or "").strip(),
                email_hash=crypto.lookup_hash(email) if email else "",
                show_name=bool(data.show_name) and not anonymous,
                anonymous=anonymous,
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
            for order, content in enumerate(cleaned_photos):
                photo = Photo(report=report, order=order)
                photo.image.save("photo.jpg", content, save=False)
                saved_files.append(str(photo.image.name))
                photo.save()
            events.record(
                report=report,
                action="submit",
                from_status="",
                to_status=Status.SUBMITTED,
                actor=author,
                department_id=department_id,
            )
    except BaseException:
        # The rows are rolled back; the files written for them must go too, or no one could ever find
        # (and erase) them.
        for name in saved_files:
            Photo._meta.get_field("image").storage.delete(name)
        raise
    return report


def _dm(month_day: str) -> str:
    month, day = month_day.split("-")
    return f"{day}.{month}"


class TransitionRefused(ValidationError):
    pass


def report_transition(
    *,
    report: Report,
    action: str,
    actor=None,
    public_note: str = "",
    private_note: str = "",
    duplicate_of: Report | None = None,
    department: Department | None = None,
    note_state: str = ReportEvent.NoteState.PUBLISHED,
    changes: dict | None = None,
) -> Report:
    """Apply one workflow action from workflow.TRANSITIONS, writing its event. Raises TransitionRefused
    for an unknown action, a status the action does not start from, or a missing reason/target.

    `note_state` PENDING holds the public note back for answer moderation; `changes` records edits
    made together with the action (accept with a corrected category, say) in the event."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionRefused(_("Unknown action."))
    public_note, private_note = (public_note or "").strip(), (private_note or "").strip()
    with transaction.atomic():
        # Lock the row so two moderators cannot both move the same report out of one state.
        report = Report.objects.select_for_update().get(pk=report.pk)
        current = Status(report.status)
        if current not in transition.sources:
            raise TransitionRefused(
                _("A report that is “%(status)s” cannot be moved by “%(action)s”.")
                % {"status": current.label, "action": transition.label}
            )
        if transition.needs_reason and not public_note:
            raise TransitionRefused(_("Say why, in a public note."))
        if transition.needs_duplicate_of:
            # Point at the original of a chain, so "follow that one instead" never leads in a circle.
            seen: set[int] = set()
            while duplicate_of is not None and duplicate_of.pk not in seen:
                seen.add(duplicate_of.pk)
                fresh = Report.objects.filter(pk=duplicate_of.pk).only("duplicate_of").first()
                if fresh is None or fresh.duplicate_of_id is None:
                    break
                duplicate_of = Report.objects.get(pk=fresh.duplicate_of_id)
            if duplicate_of is None or duplicate_of.pk == report.pk:
                raise TransitionRefused(_("Name the report this one duplicates."))
            if duplicate_of.municipality_id != report.municipality_id:
                raise TransitionRefused(_("The original report must be in the same city."))
            report.duplicate_of = duplicate_of
        if transition.needs_department:
            if department is None or department.pk == report.department_id:
                raise TransitionRefused(_("Choose another department."))
            if department.municipality_id != report.municipality_id:
                raise TransitionRefused(_("The department must be in the same city."))
            report.department = department
            if settings.GOROD_TRANSFER_RESTARTS_DEADLINE:
                report.deadline = _working_days_from_today(report, report.category.deadline_days)
        target = target_of(transition, current)
        report.status = target
        if (
            transition.needs_reason
            and target in (Status.REJECTED, Status.DISPUTED, Status.RESOLVED)
            and note_state == ReportEvent.NoteState.PUBLISHED
        ):
            report.status_reason = public_note
        report.closed_at = clock.now() if not target.is_open else None
        if target == Status.RESOLVED and note_state == ReportEvent.NoteState.PUBLISHED:
            report.confirm_due = confirmation_due(report)
        elif target != Status.CONFIRMED:
            report.confirm_due = None
        report.save()
        events.record(
            report=report,
            action=action,
            from_status=current,
            to_status=target,
            actor=actor,
            public_note=public_note,
            private_note=private_note,
            department_id=report.department_id,
            note_state=note_state,
            changes=changes or {},
        )
    return report


def confirmation_due(report: Report) -> dt.date:
    """The last day the author may confirm or dispute a fix whose answer is published today. A held
    answer starts the window only when a moderator publishes it: the citizen must see it first."""
    return _working_days_from_today(report, settings.GOROD_CONFIRM_DAYS)


def _working_days_from_today(report: Report, days: int) -> dt.date:
    municipality = report.municipality
    calendar = city_selectors.calendar_for(municipality.pk)
    return calendar.add_working_days(clock.today(ZoneInfo(municipality.timezone)), days)


def reports_rotate_pii(*, batch_size: int = 1000) -> int:
    """Re-encrypt every report's contact details under the newest of GOROD_PII_KEYS (any listed key may
    decrypt them now). Returns how many reports were rewritten. Safe to run again or to interrupt."""
    fields = ("contact_name", "contact_email", "contact_phone")
    has_contact = Report.objects.exclude(contact_name="", contact_email="", contact_phone="")
    done = 0
    last_pk = 0
    while True:
        batch = list(has_contact.filter(pk__gt=last_pk).order_by("pk").only(*fields)[:batch_size])
        if not batch:
            return done
        with transaction.atomic():
            for report in batch:
                # Reading decrypted with whichever key fits; the update encrypts with the newest one.
                Report.objects.filter(pk=report.pk).update(**{f: getattr(report, f) for f in fields})
        done += len(batch)
        last_pk = batch[-1].pk
