"""Engagement projects: a project (a development, a park redesign, a draft regulation) runs through phases
on a timeline; modules (map feedback, Q&A, surveys… see modules.REGISTRY) hang off a phase. Around them: news
updates, documents (PDF rendered to page images), events, followers, and at the end the "what we heard
and what we decided" report.

A project's status is never stored: it follows from its phases' dates and the final report (status_of)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.consultations import phases as phase_rules
from gorod.core import clock
from gorod.core.crypto import EncryptedTextField
from gorod.core.models import BaseModel


class Topic(models.TextChoices):
    PARKS = "parks", _("parks and green spaces")
    STREETS = "streets", _("streets and transport")
    DEVELOPMENT = "development", _("development and housing")
    REGULATION = "regulation", _("rules and regulations")
    CULTURE = "culture", _("culture and community")
    OTHER = "other", _("other")


class Status(models.TextChoices):
    UPCOMING = "upcoming", _("starting soon")
    ACTIVE = "active", _("in progress")
    FINISHED = "finished", _("finished, report pending")
    REPORTED = "reported", _("decision published")


def status_of(first_start: dt.datetime | None, last_end: dt.datetime | None, reported: bool) -> str:
    if reported:
        return Status.REPORTED
    now = clock.now()
    if first_start is None or now < first_start:
        return Status.UPCOMING
    if last_end is not None and now >= last_end:
        return Status.FINISHED
    return Status.ACTIVE


class Project(BaseModel):
    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, related_name="projects", verbose_name=_("municipality")
    )
    slug = models.SlugField(_("short name in the address"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("one-line summary"), max_length=300, blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True)
    district = models.ForeignKey(
        "city.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("district (empty: the whole city)"),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    # GeoJSON geometry (Polygon, MultiPolygon, LineString or Point) in lon/lat, checked by areas.clean_area.
    area = models.JSONField(_("area on the map (GeoJSON)"), null=True, blank=True)
    # The centre of the area, kept for the city map and the list without parsing the shape.
    center_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    center_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    # New contributions wait for a moderator before anyone but their author sees them.
    premoderated = models.BooleanField(_("pre-moderation of contributions"), default=False)
    published = models.BooleanField(_("shown on the site"), default=False)
    final_report = models.TextField(_("what we heard and what we decided (Markdown)"), blank=True)
    final_report_published = models.DateTimeField(_("final report published"), null=True, blank=True)

    class Meta:
        verbose_name = _("engagement project")
        verbose_name_plural = _("engagement projects")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="consult_project_slug_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def phase_list(self) -> list[Phase]:
        cached = getattr(self, "_phase_cache", None)
        if cached is None:
            cached = list(self.phases.all())
            self._phase_cache = cached
        return cached

    @property
    def status(self) -> str:
        phase_list = self.phase_list()
        return status_of(
            min((p.starts for p in phase_list), default=None),
            max((p.ends for p in phase_list), default=None),
            self.final_report_published is not None,
        )

    def get_status_display(self) -> str:
        return str(Status(self.status).label)


class Phase(BaseModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="phases", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happens in this phase"), blank=True)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> str:
        return phase_rules.state_of(self.starts, self.ends)

    def get_state_display(self) -> str:
        return str(phase_rules.PhaseState(self.state).label)


class Module(BaseModel):
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="modules", verbose_name=_("phase")
    )
    kind = models.CharField(_("kind"), max_length=30)  # a key of modules.REGISTRY
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("introduction (Markdown)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position in the phase"), default=0)
    # Settings of the kind (its questions, say), validated by the kind's own code.
    settings = models.JSONField(_("settings"), default=dict, blank=True)

    @property
    def kind_label(self) -> str:
        from gorod.consultations.modules import REGISTRY

        entry = REGISTRY.get(self.kind)
        return str(entry.label) if entry else self.kind

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Update(BaseModel):
    """A news item on the project page, mailed to the followers when published."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="updates", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    published_at = models.DateTimeField(_("published"), default=clock.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("author")
    )

    class Meta:
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Document(BaseModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    pdf = models.FileField(_("PDF file"), upload_to="projects/documents/")
    size_bytes = models.PositiveIntegerField(_("size in bytes"), default=0)
    page_count = models.PositiveSmallIntegerField(_("pages"), default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.title


class DocumentPage(models.Model):
    """One page of a document as a JPEG made on the server, so a phone reads it without a PDF viewer."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="pages", verbose_name=_("document")
    )
    number = models.PositiveSmallIntegerField(_("page number"))
    image = models.FileField(_("page image"), upload_to="projects/pages/")
    width = models.PositiveSmallIntegerField(_("width, px"))
    height = models.PositiveSmallIntegerField(_("height, px"))

    class Meta:
        verbose_name = _("document page")
        verbose_name_plural = _("document pages")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="consult_page_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.number}"


class Event(BaseModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="events", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts", "id"]

    def __str__(self) -> str:
        return self.title


class Follower(BaseModel):
    """Someone who gets the project's updates: a signed-in user, or an e-mail address. The address is
    encrypted at rest; the hash finds it again. An address nobody has proven gets nothing but a request to
    confirm it: the outbox holds every other mail until then (notifications.addresses)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="followers", verbose_name=_("project")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("user")
    )
    email = EncryptedTextField(_("e-mail"), blank=True)
    email_hash = models.CharField(_("e-mail look-up hash"), max_length=64, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("project follower")
        verbose_name_plural = _("project followers")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=models.Q(user__isnull=False),
                name="consult_follow_user_unique",
            ),
            models.UniqueConstraint(
                fields=["project", "email_hash"],
                condition=models.Q(user__isnull=True),
                name="consult_follow_email_unique",
            ),
        ]

    def address(self) -> str:
        if self.user is not None:
            return getattr(self.user, "email_address", "") or self.user.email
        return self.email


class Participation(models.Model):
    """That an account took part in a project (contributed in one of its modules): the final report is
    mailed to every participant. Modules record it through services.participation_record."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="participations", verbose_name=_("project")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user"))
    first_seen = models.DateTimeField(_("first contribution"), default=clock.now)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="consult_participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.user_id}"


# Module kinds keep their models in their own packages; importing them here registers them with the app.
from gorod.consultations.contributions import Flag  # noqa: E402,F401
from gorod.consultations.demographics import DemographicAnswer, DemographicQuestion  # noqa: E402,F401
from gorod.consultations.ideas.models import Idea, IdeaComment, IdeaSupport  # noqa: E402,F401
from gorod.consultations.map_feedback.models import MapAgreement, MapContribution  # noqa: E402, F401
from gorod.consultations.model_3d.models import ModelPin, ModelReply, SceneModel  # noqa: E402,F401
from gorod.consultations.moderation import Ban  # noqa: E402,F401
from gorod.consultations.opinion_groups.models import (  # noqa: E402,F401
    Consensus,
    GroupShare,
    OpinionGroup,
    OpinionResult,
    RecomputeRequest,
    Statement,
    StatementVote,
)
from gorod.consultations.questions.models import Answer, Question, QuestionUpvote  # noqa: E402,F401
from gorod.consultations.room.models import Pin, PinReply, Room, RoomInvitation, Slide  # noqa: E402,F401
from gorod.consultations.surveys.models import (  # noqa: E402,F401
    SurveyAnswer,
    SurveyParticipant,
    SurveyQuestion,
    SurveyResponse,
)
from gorod.consultations.text_review.models import Paragraph, ParagraphComment  # noqa: E402,F401
from gorod.consultations.textin.models import Keyword, NumberBan, OptOut, TextMessage  # noqa: E402,F401
