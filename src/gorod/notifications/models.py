"""The outbox and what feeds it: deliveries (one row per message to one recipient over one channel),
follows, area alerts, webhook and outbound Open311 endpoints, and the scheduler's memory.

Every row here that causes a message is written in the same transaction as the change that causes it;
the worker delivers from these tables, so a dead process loses nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.core import clock
from gorod.core.crypto import EncryptedTextField
from gorod.core.models import BaseModel


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    WEBHOOK = "webhook", _("webhook")
    OPEN311 = "open311", _("outbound Open311")
    SMS = "sms", _("text message")


class Delivery(BaseModel):
    """One message to one recipient. `key` is its idempotency key: unique here (a second enqueue is a
    no-op) and sent along (e-mail Message-ID, webhook Idempotency-Key) so a receiver can drop a re-send."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        # An e-mail waiting until its address is confirmed (MailAddress); never claimed while held.
        HELD = "held", _("held until the address is confirmed")
        SENT = "sent", _("sent")
        DEAD = "dead", _("failed for good")
        # Never to be sent (an unsubscribed address, a hold that expired, over a cap); `last_error` says why.
        DROPPED = "dropped", _("not sent")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("municipality")
    )
    key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    # An e-mail address is personal data: encrypted, and found through the keyed hash.
    recipient = EncryptedTextField(_("recipient"), blank=True)
    recipient_hash = models.CharField(_("recipient look-up hash"), max_length=64, blank=True, db_index=True)
    webhook = models.ForeignKey(
        "WebhookEndpoint", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("webhook")
    )
    outbound = models.ForeignKey(
        "OutboundSend", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("outbound send")
    )
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("report")
    )
    event = models.ForeignKey(
        "reports.ReportEvent", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    # JSON text (subject, body and headers of a mail, or the body of a request), encrypted at rest.
    payload = EncryptedTextField(_("payload"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # While a worker holds the delivery this is the end of its lease: a crashed claim becomes due again.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=clock.now)
    claim = models.CharField(_("claimed by"), max_length=32, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last retried by"),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["state", "updated"], name="delivery_state_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} #{self.pk} ({self.state})"


class MailAddress(BaseModel):
    """What Gorod knows about one e-mail address it mails: whether its owner proved it (confirmed), asked
    for nothing more (stopped), or neither yet, and how much was sent to it lately (the per-address caps).
    Found by the keyed hash of the normalised address (core.crypto.lookup_hash); the address itself is
    never stored here, so a "stopped" row may outlive an erasure and keep its owner unmailed."""

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("not confirmed")
        CONFIRMED = "confirmed", _("confirmed")
        STOPPED = "stopped", _("unsubscribed from everything")

    address_hash = models.CharField(_("address look-up hash"), max_length=64, unique=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.UNCONFIRMED)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    confirm_requested_at = models.DateTimeField(_("confirmation last asked at"), null=True, blank=True)
    # Fixed windows for the caps (settings GOROD_MAIL_CAP_PER_HOUR / _PER_DAY): start and mails sent in it.
    hour_started = models.DateTimeField(_("hour window started"), null=True, blank=True)
    hour_count = models.PositiveIntegerField(_("mails in the hour window"), default=0)
    day_started = models.DateTimeField(_("day window started"), null=True, blank=True)
    day_count = models.PositiveIntegerField(_("mails in the day window"), default=0)
    last_sent_at = models.DateTimeField(_("last mail sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail address")
        verbose_name_plural = _("e-mail addresses")

    def __str__(self) -> str:
        return f"address #{self.pk} ({self.state})"


class Follow(BaseModel):
    """Someone following a report: a signed-in user, or an e-mail address confirmed by double opt-in."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="follows", verbose_name=_("report")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("user")
    )
    email = EncryptedTextField(_("e-mail"), blank=True)
    email_hash = models.CharField(_("e-mail look-up hash"), max_length=64, blank=True, db_index=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"], condition=models.Q(user__isnull=False), name="follow_user_unique"
            ),
            models.UniqueConstraint(
                fields=["report", "email_hash"],
                condition=models.Q(user__isnull=True),
                name="follow_email_unique",
            ),
        ]

    def address(self) -> str:
        if self.user is not None:
            return getattr(self.user, "email_address", "") or self.user.email
        return self.email


class AuthorMute(BaseModel):
    """The author of a report asked for no more mails about it (one-click unsubscribe)."""

    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, verbose_name=_("report"))

    class Meta:
        verbose_name = _("author's unsubscription")
        verbose_name_plural = _("authors' unsubscriptions")


class AreaAlert(BaseModel):
    """New reports in a district, or within a radius of a point, mailed at once or as a daily digest."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("at once")
        DAILY = "daily", _("daily digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_alerts", verbose_name=_("user")
    )
    municipality = models.ForeignKey("city.Municipality", on_delete=models.CASCADE, verbose_name=_("city"))
    district = models.ForeignKey(
        "city.District", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("district")
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(
        _("radius, metres"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(5000)],
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    # The daily digest covers reports filed after this moment.
    digest_since = models.DateTimeField(_("digest covers reports since"), default=clock.now)

    class Meta:
        verbose_name = _("area alert")
        verbose_name_plural = _("area alerts")
        indexes = [models.Index(fields=["municipality", "lat"], name="alert_muni_lat")]

    def __str__(self) -> str:
        return f"alert #{self.pk}"


class WebhookEndpoint(BaseModel):
    """An integrator's URL that receives every matching report event as signed JSON."""

    municipality = models.ForeignKey(
        "city.Municipality", on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("city")
    )
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    secret = EncryptedTextField(_("signing secret"))
    # Event actions to send ("submit", "accept", "resolve", …); empty means every event.
    actions = models.JSONField(_("actions to send (empty: all)"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name

    def wants(self, action: str) -> bool:
        return not self.actions or action in self.actions


class Open311Endpoint(BaseModel):
    """A department's external system that takes its reports over Open311 GeoReport v2."""

    department = models.OneToOneField(
        "city.Department",
        on_delete=models.CASCADE,
        related_name="open311_endpoint",
        verbose_name=_("department"),
    )
    base_url = models.URLField(_("base URL (…/open311/v2/)"), max_length=500)
    api_key = EncryptedTextField(_("API key"), blank=True)
    jurisdiction_id = models.CharField(_("jurisdiction_id"), max_length=100, blank=True)
    # Our service code -> theirs; a code not listed is sent as it is.
    service_codes = models.JSONField(_("service code mapping"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    polled_until = models.DateTimeField(_("updates fetched until"), null=True, blank=True)
    last_poll_error = models.CharField(_("last polling error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outbound Open311 endpoint")
        verbose_name_plural = _("outbound Open311 endpoints")

    def __str__(self) -> str:
        return str(self.department)


class OutboundSend(BaseModel):
    """FixMyStreet-style send state of one report to one external system."""

    class State(models.TextChoices):
        UNSENT = "unsent", _("not sent yet")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="outbound_sends", verbose_name=_("report")
    )
    endpoint = models.ForeignKey(Open311Endpoint, on_delete=models.CASCADE, verbose_name=_("endpoint"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.UNSENT)
    send_fail_count = models.PositiveIntegerField(_("failed sends"), default=0)
    send_fail_reason = models.CharField(_("reason of the last failure"), max_length=300, blank=True)
    external_id = models.CharField(
        _("external service_request_id"), max_length=100, blank=True, db_index=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound send")
        verbose_name_plural = _("outbound sends")
        constraints = [models.UniqueConstraint(fields=["report", "endpoint"], name="outbound_send_unique")]


class InboundUpdate(BaseModel):
    """One service request update fetched from an external system, and what we did with it."""

    endpoint = models.ForeignKey(Open311Endpoint, on_delete=models.CASCADE, verbose_name=_("endpoint"))
    update_id = models.CharField(_("update_id"), max_length=100)
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("report")
    )
    status = models.CharField(_("external status"), max_length=50, blank=True)
    applied = models.BooleanField(_("applied"), default=False)
    reason = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("inbound Open311 update")
        verbose_name_plural = _("inbound Open311 updates")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "update_id"], name="inbound_update_unique")
        ]


class JobRun(models.Model):
    """When the worker last enqueued a periodic job (settings.GOROD_PERIODIC_JOBS), so a restart does not
    run everything at once and two workers do not both run a job."""

    name = models.CharField(_("job"), max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"))

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")

    def __str__(self) -> str:
        return self.name
