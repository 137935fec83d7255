"""Where a report photo's file lives: under MEDIA_ROOT, which the web server publishes at /media/, while
the public may see it; under GOROD_PRIVATE_MEDIA_ROOT, which nothing publishes, while it may not (hidden
by a moderator, or its report rejected or withheld until moderation). Staff read both through the back
office (backoffice.views.photos); the file keeps its name, only its root changes.

Crash safety: the database decides. `Photo.private` is set in the transaction of the change that
causes it, together with `placed=False`; after the commit the file is moved and `placed` set back under
a row lock. A crash in between leaves `placed=False`, and the worker's settle_photos (every minute)
finishes the move; check_photos (daily) recomputes `private` for every photo, for what changes without
a report service (a city turning on hide_anonymous_until_moderated, an erased author). Public pages,
feeds and Open311 name a photo only while `private` is False, so a pending move never shows it."""

from __future__ import annotations

import errno
import logging
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from gorod.reports.models import Photo, Report
from gorod.reports.workflow import Status

logger = logging.getLogger(__name__)


# Only a move into or out of these statuses can change whether a report's photos are public.
STATUSES_THAT_MATTER = frozenset({Status.SUBMITTED, Status.REJECTED})


def must_be_private() -> Q:
    """The photos the public may not see (a filter on Photo); keep in step with report_is_private and
    with reports.selectors.public_reports/withheld."""
    return (
        Q(hidden=True)
        | Q(report__status=Status.REJECTED)
        | Q(
            report__status=Status.SUBMITTED,
            report__author__isnull=True,
            report__municipality__hide_anonymous_until_moderated=True,
        )
    )


def report_is_private(report: Report) -> bool:
    """Whether a new photo of this report starts private (the same rule as must_be_private)."""
    if report.status == Status.REJECTED:
        return True
    return bool(
        report.status == Status.SUBMITTED
        and report.author_id is None
        and report.municipality.hide_anonymous_until_moderated
    )


def root(private: bool) -> Path:
    return Path(settings.GOROD_PRIVATE_MEDIA_ROOT if private else settings.MEDIA_ROOT)


def path_of(photo: Photo) -> Path | None:
    """The file of a photo where it is now: where the database says, or, while a move is pending, in
    the other tree. None if it is in neither."""
    for private in (photo.private, not photo.private):
        candidate = root(private) / str(photo.image.name)
        if candidate.is_file():
            return candidate
    return None


def delete_files(names: Iterable[str]) -> None:
    """Delete photo files from whichever tree holds them."""
    for name in names:
        for private in (False, True):
            (root(private) / name).unlink(missing_ok=True)


def mark(*, report_ids: Iterable[int] | None = None) -> int:
    """Inside the transaction of a change: set `private` of the photos (of these reports, or all) to what
    the rule says now, flag the changed ones to be moved, and move them once the change is committed.
    Returns how many photos must move."""
    photos = Photo.objects.all()
    if report_ids is not None:
        photos = photos.filter(report_id__in=list(report_ids))
    rule = must_be_private()
    moved = photos.filter(rule, private=False).update(private=True, placed=False)
    moved += photos.filter(~rule, private=True).update(private=False, placed=False)
    if moved:
        transaction.on_commit(settle)
    return moved


def settle(*, limit: int = 1000) -> int:
    """Move the files of photos not yet in place (placed=False) to the tree `private` names. Each under
    a lock of its row, so a concurrent change of `private` waits and then moves it again. Idempotent:
    safe to re-run after a crash at any point. Returns how many were settled."""
    pending = list(Photo.objects.filter(placed=False).order_by("pk").values_list("pk", flat=True)[:limit])
    done = 0
    for pk in pending:
        with transaction.atomic():
            row = Photo.objects.select_for_update().filter(pk=pk, placed=False).first()
            if row is None:
                continue  # settled by another process meanwhile
            _move(str(row.image.name), to_private=row.private)
            Photo.objects.filter(pk=pk).update(placed=True)
            done += 1
    return done


def place_new(photo: Photo, report: Report) -> None:
    """A photo just written (to MEDIA_ROOT by its storage) for a report that is not public: move its file
    at once, before the row is committed (photo_files deletes it from either tree on a rollback)."""
    photo.private = report_is_private(report)
    if photo.private:
        _move(str(photo.image.name), to_private=True)


def _move(name: str, *, to_private: bool) -> None:
    source, target = root(not to_private) / name, root(to_private) / name
    if not source.exists():
        if not target.exists():
            logger.warning("photo file %s is in neither media tree", name)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)  # atomic on one file system
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        # Another file system: copy beside the target, rename into place, then drop the source. A crash
        # leaves either the source alone or both complete copies; a re-run then removes the source.
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
        source.unlink()
