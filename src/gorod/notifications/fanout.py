"""Who hears about a report event, decided in the transaction that records it (reports.events.record calls
`on_event`). A change of an existing report gives the author, its followers (a handful) and the city's
webhooks one delivery row each, written there and then. A new report writes only one Fanout row: filing
is the hot path (hundreds a second), and its notices — the author's receipt, the webhooks, the area
alerts, which may have many subscribers — are derived from that row by the worker (`fan_out`), in one
transaction with the row's `done` mark, so a dead worker leaves it to be done again and nothing is lost."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from gorod.core import clock, crypto, geo
from gorod.notifications import links, mails, outbox, webhooks
from gorod.notifications.models import (
    AreaAlert,
    AuthorMute,
    Channel,
    Fanout,
    Follow,
    Open311Endpoint,
    OutboundSend,
    WebhookEndpoint,
)
from gorod.reports.models import Report, ReportEvent

PUBLISHED = ReportEvent.NoteState.PUBLISHED
MAX_ALERT_RADIUS_M = 5000
DIGEST_ITEMS = 30
# Actions that hand a report to a department, so to its external system if it has one.
OUTBOUND_ACTIONS = frozenset({"accept", "transfer"})


def locked(qs: QuerySet) -> QuerySet:
    """Rows no other worker is processing (PostgreSQL); SQLite has one writer at a time anyway."""
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True)
    return qs


def is_public_change(event: ReportEvent) -> bool:
    return event.note_state == PUBLISHED and (event.from_status != event.to_status or bool(event.public_note))


def on_event(event: ReportEvent) -> None:
    """Write the outbox rows an event causes. Runs inside the transaction of the change."""
    if event.action == "submit":
        Fanout.objects.create(event=event)
        outbox.kick()
        return
    report = event.report
    woke = False
    if is_public_change(event):
        woke |= _mail_people(event, report)
    woke |= _webhooks(event, report, type_=f"report.{event.action}")
    woke |= _outbound(event, report)
    if woke:
        outbox.kick()


def answer_published(event: ReportEvent) -> None:
    """A held answer was published: say now what on_event held back."""
    if event.note_state != PUBLISHED:
        raise ValueError("the event's note is not published")
    report = event.report
    woke = _mail_people(event, report) if is_public_change(event) else False
    woke |= _webhooks(event, report, type_="report.answer_published")
    if woke:
        outbox.kick()


def author_address(report: Report) -> str:
    if report.contact_email:
        return report.contact_email
    author = report.author
    if author is None:
        return ""
    return _user_address(author)


def _mail(*, address: str, subject: str, body: str, unsubscribe_url: str, kind: str, report, event) -> bool:
    recipient_hash = crypto.lookup_hash(address)
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
        unsubscribe = links.unsubscribe_url(links.AUTHOR, report.pk)
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
        unsubscribe = links.unsubscribe_url(links.FOLLOW, follow.pk)
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
    from gorod.notifications import open311_out  # it imports reports.services, which imports us

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


def fan_out(limit: int = 200) -> int:
    """Expand pending Fanout rows of new reports: the author's receipt, the webhooks, and one immediate
    mail per matching area alert. Returns the alert mails written."""
    written = 0
    with transaction.atomic():
        ids = list(
            locked(Fanout.objects.filter(done=False).order_by("pk")).values_list("pk", flat=True)[:limit]
        )
        rows = Fanout.objects.filter(pk__in=ids).select_related(
            "event", "event__report", "event__report__category", "event__report__district"
        )
        for row in rows:
            report = row.event.report
            _mail_people(row.event, report)
            _webhooks(row.event, report, type_="report.submit")
            for alert in alerts_matching(report, AreaAlert.Frequency.IMMEDIATE):
                address = _user_address(alert.user)
                if not address or alert.user_id == report.author_id or not alert.user.is_active:
                    continue
                unsubscribe = links.unsubscribe_url(links.ALERT, alert.pk)
                subject, body = mails.area_alert(report=report, alert=alert, unsubscribe_url=unsubscribe)
                written += _mail(
                    address=address, subject=subject, body=body, unsubscribe_url=unsubscribe, kind="alert",
                    report=report, event=row.event,
                )  # fmt: skip
        Fanout.objects.filter(pk__in=ids).update(done=True, updated=clock.now())
    return written


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
            if found and address and alert.user.is_active:
                unsubscribe = links.unsubscribe_url(links.ALERT, alert.pk)
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
