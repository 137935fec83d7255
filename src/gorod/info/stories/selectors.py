"""Reads of residents' stories, and who may see what:

| story      | the public                        | its author        | moderators, admins, auditors |
|------------|-----------------------------------|-------------------|------------------------------|
| pending    | nothing (404)                     | text and photos   | text and all photos          |
| published  | text and photos not hidden        | the same          | text and all photos          |
| hidden     | the reason, in place of the story | text and reason   | text, reason and all photos  |

Lists (a district's page, an author's page, the index) show published stories only."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from gorod.city.models import District, Municipality
from gorod.info.stories.models import Story, StoryPhoto

LIST_SIZE = 30


def _public_photos() -> Prefetch:
    return Prefetch("photos", queryset=StoryPhoto.objects.filter(hidden=False), to_attr="public_photos")


def published(municipality: Municipality) -> QuerySet[Story]:
    return (
        Story.objects.filter(municipality=municipality, status=Story.Status.PUBLISHED)
        .select_related("district")
        .prefetch_related(_public_photos())
        .order_by("-published_at", "-pk")
    )


def published_in_district(district: District) -> QuerySet[Story]:
    return published(district.municipality).filter(district=district)


def published_by_author(municipality: Municipality, key: str) -> QuerySet[Story]:
    return published(municipality).filter(author_key=key)


def moderation_queue(municipality: Municipality) -> QuerySet[Story]:
    """Stories awaiting moderation, the oldest first: the first in is the first looked at."""
    return (
        Story.objects.filter(municipality=municipality, status=Story.Status.PENDING)
        .select_related("district")
        .order_by("created", "pk")
    )


def recently_moderated(municipality: Municipality, limit: int = 20) -> QuerySet[Story]:
    return (
        Story.objects.filter(municipality=municipality)
        .exclude(status=Story.Status.PENDING)
        .select_related("district", "hide_reason")
        .order_by("-moderated_at", "-pk")[:limit]
    )


def for_desk(municipality: Municipality, pk: int) -> Story | None:
    return (
        Story.objects.filter(municipality=municipality, pk=pk)
        .select_related("district", "hide_reason", "moderated_by")
        .prefetch_related("photos")
        .first()
    )


def is_desk(user, story: Story) -> bool:
    """Staff who read the moderation desk of the story's city."""
    if not user.has_perm("info.view_story_desk"):
        return False
    return user.municipality_id in (None, story.municipality_id)


def is_author(user, story: Story) -> bool:
    return bool(user.is_authenticated and story.author_id is not None and story.author_id == user.pk)


def may_read_text(user, story: Story) -> bool:
    return story.is_published or is_author(user, story) or is_desk(user, story)


def page_visible(user, story: Story) -> bool:
    """A pending story exists only for its author and the desk; a hidden one shows its reason to all."""
    return story.status != Story.Status.PENDING or is_author(user, story) or is_desk(user, story)


def photos_for(user, story: Story) -> list[StoryPhoto]:
    photos = list(story.photos.all())
    if is_desk(user, story):
        return photos
    if not may_read_text(user, story):
        return []
    return [p for p in photos if not p.hidden]


def photo_visible(user, photo: StoryPhoto) -> bool:
    story = photo.story
    if is_desk(user, story):
        return True
    return not photo.hidden and may_read_text(user, story)
