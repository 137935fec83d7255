"""What the info app holds about a person, for the privacy app's export and erasure.

privacy and info are siblings in the layers (neither may import the other), so privacy finds this module
through settings.GOROD_PERSONAL_DATA, as Django finds its mail sender through EMAIL_BACKEND. Each such
module offers `export(user) -> dict` (merged into the person's export) and `erase(user) -> dict` (counts
for the audit trail), called inside the erasure's transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gorod.info.news.models import AreaSubscription
from gorod.info.stories import photos as story_photos
from gorod.info.stories.models import Story, StoryPhoto


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _subscriptions(user) -> list[AreaSubscription]:
    if not user.email_hash:
        return []
    return list(AreaSubscription.objects.filter(email_hash=user.email_hash).select_related("district"))


def export(user) -> dict[str, Any]:
    stories = Story.objects.filter(author=user).select_related("district").order_by("created", "pk")
    return {
        "stories": [
            {
                "id": s.pk,
                "created": _iso(s.created),
                "district": s.district.slug,
                "signature": s.signature,
                "title": s.title,
                "text": s.body,
                "status": s.status,
                "published_at": _iso(s.published_at),
                "photos": s.photos.count(),
            }
            for s in stories
        ],
        "area_subscriptions": [
            {
                "district": a.district.slug if a.district else None,
                "lat": a.lat,
                "lon": a.lon,
                "radius_m": a.radius_m,
                "active": a.active,
                "since": _iso(a.created),
            }
            for a in _subscriptions(user)
        ],
    }


def erase(user) -> dict[str, int]:
    """A story is the resident's own writing under a name they chose, not a record the city acted on (a
    report is, and stays anonymised): on erasure it goes, with its photo files once the transaction
    commits. Area subscriptions by the account's address go too."""
    stories = Story.objects.filter(author=user)
    names = list(StoryPhoto.objects.filter(story__in=stories).values_list("name", flat=True))
    story_count = stories.count()
    stories.delete()  # photos cascade

    def remove_files() -> None:
        for name in names:
            story_photos.path_of(name).unlink(missing_ok=True)

    transaction.on_commit(remove_files)
    subscriptions = 0
    if user.email_hash:
        subscriptions, _ = AreaSubscription.objects.filter(email_hash=user.email_hash).delete()
    return {"stories": story_count, "area_subscriptions": subscriptions}
