"""Photos of a report form that came back with an error, kept for the resident so they need not choose
them again (browsers never refill a file input).

Each photo is re-encoded first (core.images: no metadata, no hostile decoder input) and written under
settings.GOROD_HELD_PHOTOS_DIR — never under MEDIA_ROOT, so no URL serves it to anyone else — in a
directory of its own for the browser session: its name is a keyed hash of a random secret kept in the
session, so another session (which holds another secret) finds nothing there even knowing a photo's
token. A token is 128 random bits, the file name. Files older than GOROD_HELD_PHOTOS_TTL_S are gone:
read() ignores them and purge_expired() (the worker's timetable) deletes them. Times come from
core.clock, written into the files' modification times."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from gorod.core import clock
from gorod.core.images import PhotoRejected, clean_photo

SESSION_KEY = "held_photos_owner"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
SUFFIX = ".jpg"


def _root() -> Path:
    return Path(settings.GOROD_HELD_PHOTOS_DIR)


def _owner_dir(session, *, create: bool) -> Path | None:
    owner = session.get(SESSION_KEY)
    if not owner:
        if not create:
            return None
        owner = secrets.token_hex(16)
        session[SESSION_KEY] = owner  # also makes an anonymous visitor's session (and its cookie)
    digest = hmac.new(settings.SECRET_KEY.encode(), owner.encode(), hashlib.sha256).hexdigest()[:32]
    return _root() / digest


def _path(session, token: str) -> Path | None:
    if not TOKEN.match(token or ""):
        return None
    folder = _owner_dir(session, create=False)
    return folder / f"{token}{SUFFIX}" if folder else None


def _expired(path: Path, now_ts: float) -> bool:
    return path.stat().st_mtime + settings.GOROD_HELD_PHOTOS_TTL_S < now_ts


def hold(session, uploads: Iterable[bytes]) -> tuple[list[str], list[str]]:
    """Keep each upload that is a photo we accept; (tokens of those kept, messages for those refused)."""
    folder = _owner_dir(session, create=True)
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    now_ts = clock.now().timestamp()
    tokens: list[str] = []
    refused: list[str] = []
    for raw in uploads:
        try:
            content: ContentFile = clean_photo(raw)
        except PhotoRejected as exc:
            refused.append(str(exc))
            continue
        token = secrets.token_hex(16)
        path = folder / f"{token}{SUFFIX}"
        # Written to a temporary name and renamed, so a reader never sees half a file.
        temporary = folder / f".{token}.part"
        temporary.write_bytes(content.read())
        os.utime(temporary, (now_ts, now_ts))
        temporary.replace(path)
        tokens.append(token)
    return tokens, refused


def read(session, token: str) -> bytes | None:
    """The photo of this session with this token, or None (unknown, another session's, or expired)."""
    path = _path(session, token)
    if path is None or not path.is_file() or _expired(path, clock.now().timestamp()):
        return None
    return path.read_bytes()


def release(session, tokens: Iterable[str]) -> None:
    """Delete these photos of this session (filed with a report, or removed by the resident)."""
    for token in tokens:
        path = _path(session, token)
        if path is not None:
            path.unlink(missing_ok=True)


def purge_expired() -> int:
    """Delete every held photo older than the time they are kept, and the folders left empty."""
    root = _root()
    if not root.is_dir():
        return 0
    now_ts = clock.now().timestamp()
    deleted = 0
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            try:
                if _expired(path, now_ts):
                    path.unlink(missing_ok=True)
                    deleted += 1
            except FileNotFoundError:
                continue  # released meanwhile
        with contextlib.suppress(OSError):
            folder.rmdir()  # only succeeds when empty
    return deleted


def take(session, *, offered: Iterable[str], removed: Iterable[str]) -> tuple[list[str], list[bytes], bool]:
    """The photos kept from an earlier try that the resident did not remove: (their tokens, their bytes,
    whether any of them is gone). The removed ones are deleted now."""
    wanted = list(dict.fromkeys(filter(None, offered)))[: settings.GOROD_MAX_PHOTOS * 2]
    dropped = set(removed)
    release(session, [t for t in wanted if t in dropped])
    tokens: list[str] = []
    photos: list[bytes] = []
    lost = False
    for token in wanted:
        if token in dropped:
            continue
        content = read(session, token)
        if content is None:
            lost = True  # expired, or not this session's: never someone else's photo
        else:
            tokens.append(token)
            photos.append(content)
    return tokens, photos, lost
