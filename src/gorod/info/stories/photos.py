"""Story photo files. Every file is written under GOROD_PRIVATE_MEDIA_ROOT, which no web server publishes,
and is served by views.photo after asking whether the viewer may see it (info.stories.selectors). Stories
are few and show a handful of photos a page, so a Django request per photo costs little, and nothing
ever has to move between trees when a story is published or hidden (compare reports.photo_store, which
moves files because the report map shows thousands). In production the view answers with
X-Accel-Redirect (GOROD_PRIVATE_MEDIA_ACCEL) and nginx sends the bytes."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings


def path_of(name: str) -> Path:
    return Path(settings.GOROD_PRIVATE_MEDIA_ROOT) / name


def new_name(story_id: int) -> str:
    return f"stories/{story_id // 1000:06d}/{uuid.uuid4().hex}.jpg"


def write(name: str, data: bytes) -> None:
    path = path_of(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@contextlib.contextmanager
def written_files() -> Iterator[list[str]]:
    """Wrap the block that writes photo files before their rows: if it fails, the rows roll back and the
    files named in the yielded list are deleted too, so no file is left that no row points at."""
    names: list[str] = []
    try:
        yield names
    except BaseException:
        for name in names:
            path_of(name).unlink(missing_ok=True)
        raise
