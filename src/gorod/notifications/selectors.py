"""Reads of notifications for pages of this app and of others (back office, the citizen's account)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from gorod.notifications.models import AreaAlert, Channel, Delivery, Follow

# Mails someone receives because they asked for news (about their report, a follow, an area); the others
# (sign-in links, the confirmation of a follow) answer what they are doing at that moment.
NEWS_KINDS = ("author", "follow", "alert", "digest")


def person_mails(
    *, recipient_hashes: Iterable[str], report_ids: Iterable[int] = (), kinds: Iterable[str] | None = None
) -> Q:
    """The e-mail deliveries about one person: to any of their addresses (by look-up hash), and the
    author mails of their reports, which may have gone to an address given only on the report."""
    about = Q(recipient_hash__in=[h for h in recipient_hashes if h])
    report_ids = list(report_ids)
    if report_ids:
        about |= Q(kind="author", report_id__in=report_ids)
    mails = Q(channel=Channel.EMAIL) & about
    return mails & Q(kind__in=list(kinds)) if kinds is not None else mails


def mails_of_person(*, recipient_hashes: Iterable[str], report_ids: Iterable[int] = ()) -> QuerySet[Delivery]:
    """Every mail held for or sent to one person, oldest first (the data export decrypts them)."""
    return Delivery.objects.filter(
        person_mails(recipient_hashes=recipient_hashes, report_ids=report_ids)
    ).order_by("created", "pk")


def dead_letters(*, municipality=None) -> QuerySet[Delivery]:
    """Deliveries that failed for good, newest failure first; `recipient`/`payload` stay unread unless
    asked for (they are encrypted)."""
    qs = Delivery.objects.filter(state=Delivery.State.DEAD)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("webhook", "report").defer("payload").order_by("-updated", "-pk")


def not_sent(*, municipality=None, limit: int = 50) -> QuerySet[Delivery]:
    """E-mails that will not be sent and why (`last_error`): an address that stopped all mail, a hold
    that expired unconfirmed, an alert over the address's cap. Newest first, without the personal data."""
    qs = Delivery.objects.filter(state=Delivery.State.DROPPED)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.defer("payload", "recipient").order_by("-updated", "-pk")[:limit]


def deliveries_recent(
    *, municipality=None, state: str | None = None, channel: str | None = None, limit: int = 100
) -> QuerySet[Delivery]:
    qs = Delivery.objects.all()
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.select_related("webhook", "report").defer("payload").order_by("-created", "-pk")[:limit]


def delivery_counts(*, municipality=None) -> dict[str, int]:
    qs = Delivery.objects.all()
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    counts = {state: 0 for state in Delivery.State.values}
    for row in qs.values("state").order_by().annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts


def follows_of(user) -> QuerySet[Follow]:
    """The reports a signed-in user follows, newest follow first."""
    return (
        Follow.objects.filter(user=user, confirmed=True)
        .select_related("report", "report__category")
        .defer("report__contact_name", "report__contact_email", "report__contact_phone")
        .order_by("-created", "-pk")
    )


def alerts_of(user) -> QuerySet[AreaAlert]:
    return AreaAlert.objects.filter(user=user).select_related("district").order_by("-created", "-pk")


def is_following(user, report) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, report=report).exists()
