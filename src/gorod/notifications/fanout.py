"""Who hears about a report event. reports only records events (reports.events); this module takes the
undispatched ones in batches (`fan_out`, run by the worker), writes the deliveries each one causes and
marks it dispatched, all in one transaction: a worker that dies midway leaves the batch undispatched, to
be done again, and the deliveries' idempotency keys keep a second run from doubling anything.

What an event causes, in the order the events were recorded (the author's "received" before "accepted"):

    submit           the author's receipt, the webhooks, one mail per matching immediate area alert
    any other        a mail to the author and followers if the change is public, the webhooks, and the
                     outbound Open311 request when a department with an external system gets the report
    publish_answer   also what the held answer it published would have caused (`answer_published`)
    answer           the same, for an answer given again and public at once

The worker may take an event a moment after the change, so each is read as it was recorded: the report's
status is the event's `to_status`, and an answer held when recorded counts as held even if a moderator
has published it since (its own publish_answer event tells of it then)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from gorod.accounts.selectors import mails_withdrawn
from gorod.core import clock, crypto, geo
from gorod.notifications import links, mails, outbox, webhooks
from gorod.notifications.models import (
    AreaAlert,
    AuthorMute,
    Channel,
    Follow,
    Open311Endpoint,
    OutboundSend,
    WebhookEndpoint,
)
from gorod.reports import events
from gorod.reports.models import Report, ReportEvent

PUBLISHED = ReportEvent.NoteState.PUBLISHED
MAX_ALERT_RADIUS_M = 5000
DIGEST_ITEMS = 30
BATCH = 200
# Actions that hand a report to a department, so to its external system if it has one.
OUTBOUND_ACTIONS = frozenset({"accept", "transfer"})


def locked(qs: QuerySet) -> QuerySet:
    """Rows no other worker is processing (PostgreSQL); SQLite has one writer at a time anyway."""
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True)
    return qs


def is_public_change(event: ReportEvent) -> bool:
    return event.note_state == PUBLISHED and (event.from_status != event.to_status or bool(event.public_note))


def fan_out(*, batch: int = BATCH, wake: bool = True) -> int:
    """Derive the deliveries of every undispatched event, `batch` events per transaction, until none is
    left that another worker is not holding. `wake`: enqueue a delivery run for what was written (the
    delivery run itself fans out first and passes False). Returns the area-alert mails written."""
    alerts = 0
    while True:
        selected, taken, written = _fan_out_batch(batch, wake)
        alerts += written
        if selected < batch or not taken:
            return alerts


def _fan_out_batch(size: int, wake: bool) -> tuple[int, int, int]:
    """(events selected, events dispatched, alert mails written)."""
    with transaction.atomic():
        ids = list(locked(events.undispatched()).values_list("pk", flat=True)[:size])
        if not ids:
            return 0, 0, 0
        rows = list(
            ReportEvent.objects.filter(pk__in=ids)
            .select_related(
                "report", "report__category", "report__district", "report__department", "published_event"
            )
            .order_by("pk")
        )
        waiting = _reports_waiting(rows, ids) if rows else set()
        rows = [event for event in rows if event.report_id not in waiting]
        held = _held_when_recorded(rows)
        woke, alerts = False, 0
        for event in rows:
            told, written = _derive(event, held=event.pk in held)
            woke |= told
            alerts += written
        events.mark_dispatched([event.pk for event in rows])
        if woke and wake:
            outbox.kick()
    return len(ids), len(rows), alerts


def _reports_waiting(rows: list[ReportEvent], ids: list[int]) -> set[int]:
    """Reports with an earlier event that another worker holds (PostgreSQL skips locked rows): their
    events wait for the next run, so the author never hears of a later step before an earlier one."""
    first: dict[int, int] = {}
    for event in rows:
        first.setdefault(event.report_id, event.pk)
    earlier = (
        events.undispatched()
        .filter(report_id__in=list(first), pk__lt=rows[-1].pk)
        .exclude(pk__in=ids)
        .values_list("report_id", "pk")
    )
    return {report_id for report_id, pk in earlier if pk < first[report_id]}


def _held_when_recorded(rows: list[ReportEvent]) -> set[int]:
    """Events whose answer is published now but was held when recorded: a publish_answer event points
    at each. Only answers can have been held, so most batches need no query."""
    answers = [e.pk for e in rows if e.public_note and e.note_state == PUBLISHED and e.action != "submit"]
    if not answers:
        return set()
    return set(
        ReportEvent.objects.filter(published_event_id__in=answers).values_list(
            "published_event_id", flat=True
        )
    )


def _derive(event: ReportEvent, *, held: bool) -> tuple[bool, int]:
    """Write what one event causes; (any delivery written, alert mails written)."""
    report = event.report
    report.status = event.to_status  # as it was when the event was recorded (module doc)
    if held:
        event.note_state = ReportEvent.NoteState.PENDING
    if event.action == "submit":
        return _submitted(event, report)
    woke = _mail_people(event, report) if is_public_change(event) else False
    woke |= _webhooks(event, report, type_=f"report.{event.action}")
    woke |= _outbound(event, report)
    original = event.published_event if event.action == "publish_answer" else None
    if original is not None:
        original.report = report
        woke |= answer_published(original)
    elif event.action == "answer" and event.note_state == PUBLISHED:
        woke |= answer_published(event)
    return woke, 0


def _submitted(event: ReportEvent, report: Report) -> tuple[bool, int]:
    """A new report: the author's receipt, the webhooks, and one mail per matching immediate alert."""
    woke = _mail_people(event, report)
    woke |= _webhooks(event, report, type_="report.submit")
    written = 0
    for alert in alerts_matching(report, AreaAlert.Frequency.IMMEDIATE):
        address = _user_address(alert.user)
        if not address or alert.user_id == report.author_id or not alert.user.is_active:
            continue
        unsubscribe = links.unsubscribe_url(links.ALERT, alert.pk, municipality_id=alert.municipality_id)
        subject, body = mails.area_alert(report=report, alert=alert, unsubscribe_url=unsubscribe)
        written += _mail(
            address=address, subject=subject, body=body, unsubscribe_url=unsubscribe, kind="alert",
            report=report, event=event,
        )  # fmt: skip
    return woke or bool(written), written


def answer_published(event: ReportEvent) -> bool:
    """A held answer was published: what the event would have caused had it been public when recorded,
    under the webhook type "report.answer_published". True if a delivery was written."""
    if event.note_state != PUBLISHED:
        raise ValueError("the event's note is not published")
    report = event.report
    woke = _mail_people(event, report) if is_public_change(event) else False
    woke |= _webhooks(event, report, type_="report.answer_published")
    return woke


def author_address(report: Report) -> str:
    if report.contact_email:
        return report.contact_email
    author = report.author
    if author is None:
        return ""
    return _user_address(author)


def _mail(*, address: str, subject: str, body: str, unsubscribe_url: str, kind: str, report, event) -> bool:
    recipient_hash = crypto.lookup_hash(address)
    if mails_withdrawn(recipient_hash):
        return False  # its owner withdrew consent to news mails (privacy.services.consent_change)
    _, created = outbox.enqueue(
        channel=Channel.EMAIL,
        # Per event and recipient: the author who also follows the report gets one mail, not two.
        key=outbox.idempotency_key(event.pk, Channel.EMAIL, recipient_hash),
        payload={"subject": subject, "body": body, "unsubscribe": unsubscribe_url},
        kind=kind,
        recipient=address,
        recipient_hash=recipient_hash,
        municipality_id=report.municipality_id,
        report_id=report.pk,
        event_id=event.pk,
        wake=False,
    )
    return created


def _mail_people(event: ReportEvent, report: Report) -> bool:
    woke = False
    by_author = event.actor_id is not None and event.actor_id == report.author_id
    # A new report can have no mute and no followers yet: two queries saved on every filing.
    is_new = event.action == "submit"
    address = author_address(report)
    if (
        address
        and (is_new or not by_author)
        and (is_new or not AuthorMute.objects.filter(report=report).exists())
    ):
        unsubscribe = links.unsubscribe_url(links.AUTHOR, report.pk, municipality_id=report.municipality_id)
        subject, body = mails.report_event(
            event=event, report=report, for_author=True, unsubscribe_url=unsubscribe
        )
        woke |= _mail(
            address=address, subject=subject, body=body, kind="author", unsubscribe_url=unsubscribe,
            report=report, event=event,
        )  # fmt: skip
    if is_new:
        return woke
    for follow in Follow.objects.filter(report=report, confirmed=True).select_related("user"):
        if follow.user_id is not None and follow.user_id == event.actor_id:
            continue  # no news to people about what they did themselves
        address = follow.address()
        if not address:
            continue
        unsubscribe = links.unsubscribe_url(links.FOLLOW, follow.pk, municipality_id=report.municipality_id)
        subject, body = mails.report_event(
            event=event,
            report=report,
            for_author=False,
            unsubscribe_url=unsubscribe,
            language=follow.language,
        )
        woke |= _mail(
            address=address, subject=subject, body=body, unsubscribe_url=unsubscribe, kind="follow",
            report=report, event=event,
        )  # fmt: skip
    return woke


def _webhooks(event: ReportEvent, report: Report, *, type_: str) -> bool:
    woke = False
    endpoints = WebhookEndpoint.objects.filter(municipality_id=report.municipality_id, active=True)
    for endpoint in endpoints:
        if not endpoint.wants(event.action):
            continue
        body = webhooks.event_body(event=event, report=report, type_=type_)
        _, created = outbox.enqueue(
            channel=Channel.WEBHOOK,
            key=outbox.idempotency_key(event.pk, Channel.WEBHOOK, endpoint.pk, type_),
            payload={"body": body, "type": type_},
            kind=type_,
            municipality_id=report.municipality_id,
            report_id=report.pk,
            event_id=event.pk,
            webhook_id=endpoint.pk,
            wake=False,
        )
        woke |= created
    return woke


def _outbound(event: ReportEvent, report: Report) -> bool:
    if event.action not in OUTBOUND_ACTIONS or report.department_id is None:
        return False
    endpoint = Open311Endpoint.objects.filter(department_id=report.department_id, active=True).first()
    if endpoint is None:
        return False
    from gorod.notifications import open311_out  # it imports delivery machinery that imports us

    send, _ = OutboundSend.objects.get_or_create(report=report, endpoint=endpoint)
    if send.state == OutboundSend.State.SENT:
        return False
    _, created = outbox.enqueue(
        channel=Channel.OPEN311,
        key=outbox.idempotency_key(Channel.OPEN311, send.pk),
        payload={"fields": open311_out.request_fields(report, endpoint)},
        kind="open311.request",
        municipality_id=report.municipality_id,
        report_id=report.pk,
        event_id=event.pk,
        outbound_id=send.pk,
        wake=False,
    )
    return created


# --- area alerts (in the worker) --------------------------------------------------------------------
def alerts_matching(report: Report, frequency: str) -> list[AreaAlert]:
    south, west, north, east = geo.bbox_of_radius(report.lat, report.lon, MAX_ALERT_RADIUS_M)
    near = Q(district__isnull=True, lat__range=(south, north), lon__range=(west, east))
    candidates = AreaAlert.objects.filter(municipality_id=report.municipality_id, frequency=frequency).filter(
        Q(district_id=report.district_id) | near
    )
    return [
        alert
        for alert in candidates.select_related("user")
        if alert.district_id is not None
        or (
            alert.lat is not None
            and alert.lon is not None
            and geo.haversine_m(alert.lat, alert.lon, report.lat, report.lon) <= (alert.radius_m or 0)
        )
    ]


def _user_address(user) -> str:
    return getattr(user, "email_address", "") or user.email or ""


def reports_in_area(alert: AreaAlert, *, since: dt.datetime, until: dt.datetime) -> list[Report]:
    qs = Report.objects.filter(municipality_id=alert.municipality_id, created__gt=since, created__lte=until)
    if alert.user_id:
        qs = qs.exclude(author_id=alert.user_id)
    qs = qs.select_related("category").only(
        "pk", "lat", "lon", "description", "created", "category__name", "category__name_en"
    )
    if alert.district_id is not None:
        return list(qs.filter(district_id=alert.district_id).order_by("created", "pk"))
    if alert.lat is None or alert.lon is None or not alert.radius_m:
        return []
    south, west, north, east = geo.bbox_of_radius(alert.lat, alert.lon, alert.radius_m)
    box = qs.filter(lat__range=(south, north), lon__range=(west, east)).order_by("created", "pk")
    return [r for r in box if geo.haversine_m(alert.lat, alert.lon, r.lat, r.lon) <= alert.radius_m]


def send_digests(now: dt.datetime | None = None) -> int:
    """One mail per daily alert whose last digest is a day old and that has news. Returns mails written."""
    now = now or clock.now()
    cutoff = now - dt.timedelta(days=1)
    written = 0
    for pk in AreaAlert.objects.filter(
        frequency=AreaAlert.Frequency.DAILY, digest_since__lte=cutoff
    ).values_list("pk", flat=True):
        with transaction.atomic():
            alert = (
                locked(AreaAlert.objects.filter(pk=pk, digest_since__lte=cutoff))
                .select_related("user")
                .first()
            )
            if alert is None:
                continue
            found = reports_in_area(alert, since=alert.digest_since, until=now)
            address = _user_address(alert.user)
            if found and address and alert.user.is_active and not mails_withdrawn(alert.user.email_hash):
                unsubscribe = links.unsubscribe_url(
                    links.ALERT, alert.pk, municipality_id=alert.municipality_id
                )
                subject, body = mails.digest(
                    reports=found[:DIGEST_ITEMS],
                    more=max(0, len(found) - DIGEST_ITEMS),
                    alert=alert,
                    unsubscribe_url=unsubscribe,
                )
                recipient_hash = crypto.lookup_hash(address)
                _, created = outbox.enqueue(
                    channel=Channel.EMAIL,
                    key=outbox.idempotency_key("digest", alert.pk, alert.digest_since.isoformat()),
                    payload={"subject": subject, "body": body, "unsubscribe": unsubscribe},
                    kind="digest",
                    recipient=address,
                    recipient_hash=recipient_hash,
                    municipality_id=alert.municipality_id,
                    wake=False,
                )
                written += created
            AreaAlert.objects.filter(pk=alert.pk).update(digest_since=now, updated=now)
    return written
