"""Every write to residents' stories: a resident submits; a moderator publishes, hides with a reason, hides
or shows a photo. Keyword-only, in a transaction, full_clean before save; moderation is checked against
the actor's permission (info.moderate_story) so a forged post cannot do what the page would not offer,
and each moderation writes an audit entry (ids only)."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from gorod.city.models import District, Municipality, RejectionReason
from gorod.core import audit, clock, crypto
from gorod.info.stories import photos as photo_files
from gorod.info.stories.errors import StoryConflict, StoryInvalid
from gorod.info.stories.models import MAX_BODY, MAX_HIDE_NOTE, MAX_SIGNATURE, MAX_TITLE, Story, StoryPhoto
from gorod.reports.services.common import clean_photos


@dataclasses.dataclass
class NewStory:
    district: District | None
    title: str
    body: str
    signature: str
    photos: Sequence[bytes] = ()


def author_key(user) -> str:
    """The key of an author's page: a keyed hash of the account id (crypto.lookup_hash)."""
    return crypto.lookup_hash(f"story-author:{user.pk}")[:24]


def _text(value: str, *, field: str, limit: int, required: str = "") -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise StoryInvalid({field: _("This text contains a character that is not allowed.")})
    if required and not text:
        raise StoryInvalid({field: required})
    if len(text) > limit:
        raise StoryInvalid({field: _("At most %(n)d characters.") % {"n": limit}})
    return text


def _require(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied


@transaction.atomic
def story_submit(*, municipality: Municipality, author, data: NewStory) -> Story:
    """A signed-in resident's story, awaiting moderation. Photos are re-encoded (core.images) and written
    under the private media root; a refused photo refuses the whole story, with its reason."""
    _require(author, "info.submit_story")
    errors: dict[str, list[str]] = {}

    def collect(fn):
        try:
            return fn()
        except StoryInvalid as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
            return ""

    title = collect(
        lambda: _text(data.title, field="title", limit=MAX_TITLE, required=_("Give the story a title."))
    )
    body = collect(lambda: _text(data.body, field="body", limit=MAX_BODY, required=_("Write the story.")))
    signature = collect(
        lambda: _text(
            data.signature, field="signature", limit=MAX_SIGNATURE, required=_("Say how to sign the story.")
        )
    )
    district = data.district
    if district is None or district.municipality_id != municipality.pk:
        errors.setdefault("district", []).append(_("Choose a district of this city."))
    cleaned, problems = clean_photos(list(data.photos))
    if problems:
        errors.setdefault("photos", []).extend(problems)
    if errors:
        raise StoryInvalid(errors)
    story = Story(
        municipality=municipality,
        district=district,
        author=author,
        author_key=author_key(author),
        signature=signature,
        title=title,
        body=body,
    )
    story.full_clean()
    story.save()
    with photo_files.written_files() as names:
        for order, content in enumerate(cleaned):
            raw = content.read()
            with Image.open(io.BytesIO(raw)) as image:  # our own re-encoded JPEG, not the upload
                width, height = image.size
            name = photo_files.new_name(story.pk)
            names.append(name)
            photo_files.write(name, raw)
            photo = StoryPhoto(story=story, name=name, width=width, height=height, order=order)
            photo.full_clean()
            photo.save()
    return story


def _locked(story: Story) -> Story:
    return Story.objects.select_for_update().get(pk=story.pk)


@transaction.atomic
def story_publish(*, story: Story, actor) -> Story:
    """Publish a story awaiting moderation, or one hidden before (a second look). The reason of an
    earlier hiding is cleared: the page shows the text again."""
    _require(actor, "info.moderate_story", story)
    story = _locked(story)
    if story.status == Story.Status.PUBLISHED:
        raise StoryConflict(_("This story is already published."))
    now = clock.now()
    story.status = Story.Status.PUBLISHED
    story.published_at = story.published_at or now
    story.moderated_at, story.moderated_by = now, actor
    story.hide_reason, story.hide_note = None, ""
    story.full_clean()
    story.save()
    audit.record(action="story.publish", actor=actor, object_type="story", object_id=story.pk)
    return story


@transaction.atomic
def story_hide(*, story: Story, actor, reason: RejectionReason | None, note: str = "") -> Story:
    """Hide a story with a reason from the city's list (and an optional explanation); its page shows
    them in place of the text. The story itself stays."""
    _require(actor, "info.moderate_story", story)
    if reason is None or reason.municipality_id != story.municipality_id:
        raise StoryInvalid({"reason": _("Choose a reason from the list.")})
    note = _text(note, field="note", limit=MAX_HIDE_NOTE)
    story = _locked(story)
    if story.status == Story.Status.HIDDEN:
        raise StoryConflict(_("This story is already hidden."))
    story.status = Story.Status.HIDDEN
    story.moderated_at, story.moderated_by = clock.now(), actor
    story.hide_reason, story.hide_note = reason, note
    story.full_clean()
    story.save()
    audit.record(
        action="story.hide",
        actor=actor,
        object_type="story",
        object_id=story.pk,
        detail={"reason": reason.code},
    )
    return story


@transaction.atomic
def story_photo_set_hidden(*, photo: StoryPhoto, actor, hidden: bool) -> StoryPhoto:
    """Hide one photo (a face, a car number) or show it again; the story's other photos are unchanged."""
    _require(actor, "info.moderate_story", photo.story)
    photo = StoryPhoto.objects.select_for_update().get(pk=photo.pk)
    if photo.hidden != hidden:
        photo.hidden = hidden
        photo.save(update_fields=["hidden"])
        audit.record(
            action="story.hide_photo" if hidden else "story.show_photo",
            actor=actor,
            object_type="story",
            object_id=photo.story_id,
            detail={"photo": photo.pk},
        )
    return photo
