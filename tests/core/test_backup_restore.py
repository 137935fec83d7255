"""The restore drill (docs/deploy.md, Backups): reports with photos are backed up, everything is wiped,
the archive is restored, and every table's row count and a report's photo bytes are as before. On
SQLite through the online backup API; on PostgreSQL (DATABASE_URL) through pg_dump/pg_restore.
And the refusals: a database in use without --force, a missing or foreign file, a hostile archive."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from gorod.core.backup import row_counts
from gorod.reports.models import Photo, Report
from tests.conftest import make_jpeg

# The dump is read by another connection (pg_dump) or copied page by page: the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _seed(file_report) -> Report:
    first = file_report(photos=[make_jpeg(color=(10, 200, 30)), make_jpeg(color=(250, 250, 0))])
    file_report(photos=[make_jpeg(color=(0, 0, 255))], lat=60.01)
    file_report(photos=[])
    return first


def _photo_bytes(report_id: int) -> list[bytes]:
    photos = Photo.objects.filter(report_id=report_id).order_by("order", "pk")
    return [Path(p.image.path).read_bytes() for p in photos]


def test_restore_drill_gives_back_every_row_and_the_photos(city, file_report, tmp_path):
    report = _seed(file_report)
    counts, photos = row_counts(), _photo_bytes(report.pk)
    assert len(photos) == 2 and counts["reports_report"] == 3
    archive = tmp_path / "gorod.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Report.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "counts match" in out.getvalue()
    assert row_counts() == counts
    assert _photo_bytes(report.pk) == photos


def test_restore_refuses_a_database_in_use_without_force(city, file_report, tmp_path):
    _seed(file_report)
    archive = tmp_path / "gorod.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    file_report(photos=[])  # a fourth report, after the backup
    with pytest.raises(CommandError, match=r"not empty.*--force"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Report.objects.count() == 4  # nothing changed
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert Report.objects.count() == 3


def test_backup_does_not_overwrite_a_file_without_force(db, tmp_path):
    archive = tmp_path / "gorod.tar.gz"
    archive.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"keep me"
    with pytest.raises(CommandError, match="no such directory"):
        call_command("backup", str(tmp_path / "nowhere" / "x.tar.gz"), stdout=io.StringIO())


def test_restore_explains_a_missing_or_foreign_file(db, tmp_path):
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    foreign = tmp_path / "photo.jpg"
    foreign.write_bytes(make_jpeg())
    with pytest.raises(CommandError, match="not a Gorod backup"):
        call_command("restore", str(foreign))
    other_tar = tmp_path / "other.tar"
    with tarfile.open(other_tar, "w") as tar:
        tar.add(foreign, arcname="photo.jpg")
    with pytest.raises(CommandError, match="not a Gorod backup"):
        call_command("restore", str(other_tar))


def test_restore_refuses_an_archive_that_writes_outside_its_place(db, tmp_path):
    from django.db import connection

    hostile = tmp_path / "hostile.tar.gz"
    manifest = json.dumps({"format": 1, "engine": connection.vendor, "tables": {}}).encode()
    with tarfile.open(hostile, "w:gz") as tar:
        for name, data in (("manifest.json", manifest), ("media/../../evil.txt", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="unexpected entry"):
        call_command("restore", str(hostile))
    assert not (tmp_path.parent / "evil.txt").exists()


def test_the_command_line_shows_a_message_not_a_traceback(tmp_path):
    env = {**os.environ, "GOROD_VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    done = subprocess.run(
        [sys.executable, "-m", "gorod.cli", "restore", str(tmp_path / "missing.tar.gz")],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert "no such backup file" in done.stderr and "Traceback" not in done.stderr
