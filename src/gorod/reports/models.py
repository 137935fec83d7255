"""Problem reports. The primary key is the public number: /reports/<id>/ and Open311 service_request_id."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.core.crypto import EncryptedTextField
from gorod.core.models import BaseModel
from gorod.reports.workflow import Status

# A report that still holds contact details: retention looks for these among the closed ones.
HOLDS_CONTACTS = (
    ~models.Q(contact_name="")
    | ~models.Q(contact_email="")
    | ~models.Q(contact_phone="")
    | ~models.Q(email_hash="")
)


class Report(BaseModel):
    class Source(models.TextChoices):
        WEB = "web", _("web site")
        OPEN311 = "open311", _("Open311 API")
        DEMO = "demo", _("demo data")

    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.PROTECT, related_name="reports", verbose_name=_("municipality")
    )
    category = models.ForeignKey("city.Category", on_delete=models.PROTECT, verbose_name=_("category"))
    district = models.ForeignKey("city.District", on_delete=models.PROTECT, verbose_name=_("district"))
    department = models.ForeignKey(
        "city.Department", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("department")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)

    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    h3 = models.BigIntegerField(_("H3 cell"), db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=4000)
    attributes = models.JSONField(_("attribute values"), default=dict, blank=True)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("author")
    )
    # Personal data: encrypted at rest; looked up only through the keyed hash.
    contact_name = EncryptedTextField(_("contact name"), blank=True)
    contact_email = EncryptedTextField(_("contact e-mail"), blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    email_hash = models.CharField(_("e-mail look-up hash"), max_length=64, blank=True, db_index=True)
    show_name = models.BooleanField(_("name may be shown publicly"), default=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)

    moderation_due = models.DateField(_("moderation due"))
    deadline = models.DateField(_("executor deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("duplicate of")
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("assigned to"),
    )
    # Set when the report is resolved: the author may confirm or dispute until this day; silence confirms.
    confirm_due = models.DateField(_("confirm or dispute by"), null=True, blank=True)

    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.WEB)
    token = models.UUIDField(_("Open311 token"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["municipality", "created"], name="report_muni_created"),
            models.Index(fields=["municipality", "updated"], name="report_muni_updated"),
            models.Index(fields=["category", "created"], name="report_category_created"),
            models.Index(fields=["district", "created"], name="report_district_created"),
            models.Index(fields=["status", "created"], name="report_status_created"),
            models.Index(fields=["lat", "lon"], name="report_lat_lon"),
            # Only reports that still hold contact details: the daily retention job reads this small set.
            models.Index(fields=["closed_at"], condition=HOLDS_CONTACTS, name="report_contacts_held"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category_id}"

    @property
    def is_open(self) -> bool:
        return Status(self.status).is_open

    @property
    def public_name(self) -> str:
        return self.contact_name if self.show_name and not self.anonymous else ""


def _photo_path(instance: Photo, filename: str) -> str:
    # Never the uploader's file name: it may carry personal data or hostile text.
    return f"reports/{instance.report_id // 1000:06d}/{uuid.uuid4().hex}.jpg"


class Photo(BaseModel):
    class Kind(models.TextChoices):
        REPORT = "report", _("photo of the problem")
        PROOF = "proof", _("photo of the fix")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report")
    )
    image = models.ImageField(_("image"), upload_to=_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPORT)
    # Hidden by a moderator (personal data in the picture, say): kept for staff, never shown publicly.
    hidden = models.BooleanField(_("hidden from the public"), default=False)
    # Where the file belongs (reports.photo_store): False under MEDIA_ROOT, which the web server
    # publishes; True under GOROD_PRIVATE_MEDIA_ROOT (hidden, or its report is not public). Set in the
    # transaction that decides it; the public sees a photo only when this is False.
    private = models.BooleanField(_("kept out of the public tree"), default=False)
    # False until the file has been moved to where `private` says: a crash between the commit and the
    # move leaves it False, and the worker's settle_photos finishes the move.
    placed = models.BooleanField(_("file in place"), default=True)

    # Open311's listing asks the same of the database (private=False, hidden=False).
    @property
    def is_public(self) -> bool:
        return not (self.private or self.hidden)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["order", "id"]
        indexes = [
            # Only the few photos whose files still have to move: the worker's look-up stays tiny.
            models.Index(fields=["id"], condition=models.Q(placed=False), name="photo_unplaced")
        ]


class ReportEvent(models.Model):
    """One line of a report's history. Written only by reports.events; afterwards only the answer's
    publication state changes (answer moderation), and `dispatched` once, when the apps that react to
    events have taken it (reports.events)."""

    class NoteState(models.TextChoices):
        PUBLISHED = "published", _("published")
        PENDING = "pending", _("awaiting moderation")
        WITHDRAWN = "withdrawn", _("sent back")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="events", verbose_name=_("report")
    )
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("actor")
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20)
    public_note = models.TextField(_("public note"), blank=True)
    private_note = models.TextField(_("private note"), blank=True)
    department = models.ForeignKey(
        "city.Department", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("department")
    )
    # The public note is shown (and mailed) only when published; categories with answer moderation hold
    # the department's answers as pending until a moderator publishes them.
    note_state = models.CharField(
        _("public note state"), max_length=10, choices=NoteState.choices, default=NoteState.PUBLISHED
    )
    # What an edit changed: {"field": [old, new]}; the original stays in the history.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # A "publish_answer" event: the held answer it made public.
    published_event = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published answer"),
    )
    # False until the apps that react to events (notifications) have derived what it causes.
    dispatched = models.BooleanField(_("dispatched"), default=False)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "id"]
        indexes = [
            # Only the few undispatched rows: the worker's every-second question stays one tiny look-up.
            models.Index(fields=["id"], condition=models.Q(dispatched=False), name="reportevent_undispatched")
        ]

    def __str__(self) -> str:
        return f"#{self.report_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Satisfaction(BaseModel):
    """The author's one-question rating after a confirmed fix."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="satisfaction", verbose_name=_("report")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
