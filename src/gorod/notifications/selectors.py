"""Reads of notifications for pages of this app and of others (back office, the citizen's account)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from gorod.notifications.models import AreaAlert, Delivery, Follow


def dead_letters(*, municipality=None) -> QuerySet[Delivery]:
    """Deliveries that failed for good, newest failure first; `recipient`/`payload` stay unread unless
    asked for (they are encrypted)."""
    qs = Delivery.objects.filter(state=Delivery.State.DEAD)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.select_related("webhook", "report").defer("payload").order_by("-updated", "-pk")


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
