"""Helpers every reports service shares: the row lock, the permission check, text cleaning, and saving
photos so that their files go when the rows do not make it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from gorod.core.images import PhotoRejected, clean_photo
from gorod.reports import photo_store
from gorod.reports.models import Photo, Report
from gorod.reports.services.errors import ReportForbidden, ReportInvalid

MAX_NOTE = 4000


def locked(report: Report) -> Report:
    """The report re-read under a row lock, with what the services read of it. Only the report's own row
    is locked (PostgreSQL would otherwise lock the joined category and city rows too, and serialise every
    change in the city)."""
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("category", "municipality")
        .get(pk=report.pk)
    )


def require(actor, perm: str, report: Report) -> None:
    if actor is None or not actor.has_perm(perm, report):
        raise ReportForbidden(perm)


def not_allowed() -> str:
    return _("Contains a character that is not allowed.")


def at_most(limit: int) -> str:
    return _("At most %(n)d characters.") % {"n": limit}


def clean_text(value: str | None, *, limit: int, field: str = "", label: str = "", required: str = "") -> str:
    """The stripped text, or ReportInvalid for a NUL character (PostgreSQL cannot store it and no honest
    client sends one), for text over `limit`, and — given a `required` message — for no text at all.

    With a `field`, the messages belong to it (a form shows them next to it); with a `label`, they name
    the field in their own words, for pages that show a single line of error."""
    text = (value or "").strip()
    if "\x00" in text:
        message = (
            _("%(field)s contains a character that is not allowed.") % {"field": label}
            if label
            else not_allowed()
        )
        raise _invalid(field, message)
    if required and not text:
        raise _invalid(field, required)
    if len(text) > limit:
        message = (
            _("%(field)s: at most %(n)d characters.") % {"field": label, "n": limit}
            if label
            else at_most(limit)
        )
        raise _invalid(field, message)
    return text


def _invalid(field: str, message: str) -> ReportInvalid:
    return ReportInvalid({field: [message]}) if field else ReportInvalid(message)


def clean_photos(photos: Sequence[bytes]) -> tuple[list[ContentFile], list[str]]:
    """The first GOROD_MAX_PHOTOS uploads re-encoded (core.images), and a message for each problem:
    too many photos, then each photo refused."""
    problems = []
    if len(photos) > settings.GOROD_MAX_PHOTOS:
        problems.append(_("At most %(n)d photos.") % {"n": settings.GOROD_MAX_PHOTOS})
    cleaned = []
    for raw in photos[: settings.GOROD_MAX_PHOTOS]:
        try:
            cleaned.append(clean_photo(raw))
        except PhotoRejected as exc:
            problems.append(str(exc))
    return cleaned, problems


@contextmanager
def photo_files() -> Iterator[list[str]]:
    """Wrap the block that saves photos (their files are written before their rows). The names go in the
    yielded list; if the block fails, the rows are rolled back and these files are deleted too, or no one
    could ever find (and erase) them."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        photo_store.delete_files(saved)  # from either tree: a photo may have been placed privately
        raise


def save_photo(report: Report, content: ContentFile, saved: list[str], **fields) -> Photo:
    """One Photo row with its file; the file's name goes into `saved` (from photo_files) first."""
    photo = Photo(report=report, **fields)
    photo.image.save("photo.jpg", content, save=False)  # the stored name is a fresh uuid (models)
    saved.append(str(photo.image.name))
    photo_store.place_new(photo, report)
    photo.save()
    return photo
