"""`gorod backup FILE` / `gorod restore FILE`: one tar archive holding the database and the media tree
(the residents' photos), plus a manifest with the row count of every table, which restore checks.

SQLite is copied with its online backup API (a consistent snapshot while the site runs) and restored the
same way into the open database; PostgreSQL with `pg_dump -Fc` / `pg_restore`. The database is taken
before the media, so a photo uploaded meanwhile is at worst an unused file in the archive, never a
report row whose photo is missing. See docs/deploy.md, Backups."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA = "media"
# Written by `migrate` itself on an empty database: rows here do not make a database "in use".
SETUP_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "core_audithead",
    "django_session",
    "sqlite_sequence",
}


class BackupError(Exception):
    """A refusal or failure with a message meant for the operator (no traceback needed)."""


def row_counts() -> dict[str, int]:
    """Rows per table of the database (every table, not only the models': a dump restores them all)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def in_use(counts: dict[str, int] | None = None) -> list[str]:
    """The tables holding data beyond what `migrate` writes: non-empty means a restore would lose it."""
    counts = row_counts() if counts is None else counts
    return sorted(t for t, n in counts.items() if n and t not in SETUP_TABLES)


# --- backup -------------------------------------------------------------------------------------------


def backup(target: str | Path, *, force: bool = False, log: Callable[[str], None] = print) -> dict:
    """Write the archive to `target` (through a temporary file, so a failed backup leaves no half
    archive under the name). Returns the manifest."""
    target = Path(target)
    if target.exists() and not force:
        raise BackupError(f"{target} exists; choose another name or pass --force to replace it")
    if not target.parent.is_dir():
        raise BackupError(f"no such directory: {target.parent}")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="gorod-backup-") as work:
        work_dir = Path(work)
        # The counts are those of the dump itself (its file, or its snapshot), not of the live database
        # a moment later: the site may be taking reports meanwhile.
        if connection.vendor == "sqlite":
            dump, member = work_dir / SQLITE_MEMBER, SQLITE_MEMBER
            counts = _sqlite_dump(dump)
        elif connection.vendor == "postgresql":
            dump, member = work_dir / PG_MEMBER, PG_MEMBER
            counts = _pg_dump(dump)
        else:
            raise BackupError(f"backups of a {connection.vendor} database are not supported")
        manifest = {
            "format": FORMAT,
            "engine": connection.vendor,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "tables": counts,
        }
        partial = target.with_name(f".{target.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
                with tempfile.SpooledTemporaryFile() as buffer:
                    buffer.write(data)
                    buffer.seek(0)
                    tar.addfile(info, buffer)
                tar.add(dump, arcname=member)
                files = 0
                if media_root.is_dir():
                    for path in sorted(media_root.rglob("*")):
                        if path.is_file() and not path.is_symlink():
                            tar.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
                            files += 1
            os.chmod(partial, 0o600)  # personal data, encrypted or not, is the operator's alone
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    log(f"backed up {connection.vendor} ({sum(counts.values())} rows) and {files} media files")
    return manifest


def _sqlite_dump(dump: Path) -> dict[str, int]:
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)
        tables = [r[0] for r in target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            t: int(target.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])  # noqa: S608
            for t in sorted(tables)
            if t != "sqlite_sequence"
        }
    finally:
        target.close()


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    """The program with the connection's address and user; the password goes by the environment, never
    on the command line, where any local user could read it."""
    db = connection.settings_dict
    args = [program, "--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{args[0]} is not installed (the PostgreSQL client programs are needed)") from exc
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()[-1000:]}")


def _pg_dump(dump: Path) -> dict[str, int]:
    """pg_dump reads the snapshot of a transaction of ours, in which the rows are counted: the counts
    are exactly the dump's."""
    if connection.in_atomic_block:
        raise BackupError("cannot back up inside a transaction")
    args, env = _pg_command("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = row_counts()
        options = ["--format=custom", "--no-owner", f"--snapshot={snapshot}", "--file", str(dump)]
        _run([*args, *options, connection.settings_dict["NAME"]], env)
    return counts


# --- restore ------------------------------------------------------------------------------------------


def restore(source: str | Path, *, force: bool = False, log: Callable[[str], None] = print) -> dict:
    """Replace the database and the media tree by the archive's. Refuses a database in use unless
    `force`. Checks every table's row count against the manifest afterwards. Returns the manifest."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no such backup file: {source}")
    try:
        tar = tarfile.open(source, "r:*")  # noqa: SIM115 - closed by the `with` below, after the checks
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{source} is not a Gorod backup (not a readable tar archive)") from exc
    with tar, tempfile.TemporaryDirectory(prefix="gorod-restore-") as work:
        manifest = _manifest(tar, source)
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"{source} holds a {manifest['engine']} database; this installation uses {connection.vendor}"
            )
        busy = in_use()
        if busy and not force:
            shown = ", ".join(busy[:5]) + (" …" if len(busy) > 5 else "")
            raise BackupError(
                f"the database is not empty ({shown}); restoring would replace it. Pass --force to do so."
            )
        work_dir = Path(work)
        (work_dir / MEDIA).mkdir()
        dump = _extract(tar, work_dir, manifest)
        if connection.vendor == "sqlite":
            _sqlite_load(dump)
        else:
            _pg_load(dump)
        files = _swap_media(work_dir / MEDIA, Path(settings.MEDIA_ROOT))
    after = row_counts()
    differ = {
        table: (n, after.get(table))
        for table, n in manifest["tables"].items()
        if after.get(table) != n and table not in {"django_session"}
    }
    if differ:
        raise BackupError(f"restored, but row counts differ from the backup's: {differ}")
    log(f"restored {connection.vendor} ({sum(after.values())} rows, counts match) and {files} media files")
    return manifest


def _manifest(tar: tarfile.TarFile, source: Path) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        raw = tar.extractfile(member)
        manifest = json.loads(raw.read() if raw else b"")
    except (KeyError, ValueError, tarfile.TarError) as exc:
        raise BackupError(f"{source} is not a Gorod backup (no readable {MANIFEST})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or "tables" not in manifest:
        raise BackupError(f"{source} is a backup of an unknown format")
    return manifest


def _extract(tar: tarfile.TarFile, work_dir: Path, manifest: dict) -> Path:
    """Extract the dump and the media files into work_dir: only regular files at expected, relative
    names, so an archive cannot write outside the directory or plant links."""
    wanted = SQLITE_MEMBER if manifest["engine"] == "sqlite" else PG_MEMBER
    dump = None
    for member in tar.getmembers():
        name = PurePosixPath(member.name)
        if member.isdir() or name.as_posix() == MANIFEST:
            continue
        if not member.isfile() or name.is_absolute() or ".." in name.parts:
            raise BackupError(f"refusing an unexpected entry in the archive: {member.name!r}")
        if name.as_posix() == wanted:
            dump = work_dir / wanted
        elif name.parts[0] == MEDIA and len(name.parts) > 1:
            pass
        else:
            raise BackupError(f"refusing an unexpected entry in the archive: {member.name!r}")
        tar.extract(member, work_dir, filter="data")
    if dump is None:
        raise BackupError(f"the archive holds no {wanted}")
    return dump


def _sqlite_load(dump: Path) -> None:
    """Copy the backup's pages into the open database with the backup API (works for a file and for the
    tests' in-memory database); other connections see the restored content at their next query."""
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("cannot restore inside a transaction")
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _pg_load(dump: Path) -> None:
    db_name = connection.settings_dict["NAME"]
    connection.close()  # our own session must not hold locks on the tables pg_restore drops
    args, env = _pg_command("pg_restore")
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
    _run([*args, *options, "--dbname", db_name, str(dump)], env)


def _swap_media(restored: Path, media_root: Path) -> int:
    """Put the restored tree in place of MEDIA_ROOT: moved aside first, then removed, so a failure
    halfway leaves either the old tree or the new one."""
    files = sum(1 for p in restored.rglob("*") if p.is_file())
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media_root.parent))
    shutil.copytree(restored, staged, dirs_exist_ok=True)
    # mkdtemp makes the directory private; the web server that serves /media/ must read it as before.
    os.chmod(staged, media_root.stat().st_mode & 0o7777 if media_root.exists() else 0o755)
    old = media_root.with_name(f".{media_root.name}-replaced")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        os.replace(media_root, old)
    os.replace(staged, media_root)
    shutil.rmtree(old, ignore_errors=True)
    return files
