"""The data export is a zip: the JSON, the photos the person uploaded (the re-encoded files Gorod keeps)
and every mail held for or sent to them, decrypted — nobody else's."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core import mail

from gorod.core.models import AuditEntry
from gorod.notifications.tasks import deliver_due
from gorod.reports.services import report_create, report_transition
from tests.conftest import make_jpeg
from tests.helpers import fan_out

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna_files(city, new_report, citizen, file_report):
    citizen.email_verified = True
    citizen.save()
    own = report_create(
        municipality=city,
        data=new_report(contact_email="", photos=[make_jpeg(), make_jpeg(color=(0, 90, 0))]),
        author=citizen,
    )
    other = file_report(description="Чужая яма", photos=[make_jpeg(color=(0, 0, 200))])
    report_transition(report=own, action="accept")
    fan_out()
    deliver_due()  # the receipt and «accepted» are sent …
    report_transition(report=own, action="start")
    fan_out()  # … «in progress» is still held
    return own, other


def _download(client, user) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.get("/account/privacy/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="gorod-my-data.zip"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_holds_the_json_the_photos_and_the_mails(client, citizen, anna_files):
    own, _other = anna_files
    archive = _download(client, citizen)
    data = json.loads(archive.read("my-data.json"))
    (report,) = data["reports"]
    assert len(report["photos"]) == 2
    for name, photo in zip(report["photos"], own.photos.order_by("order", "id"), strict=True):
        with photo.image.open("rb") as stored:
            assert archive.read(name["file"]) == stored.read()
    assert sorted(n for n in archive.namelist() if n.startswith("photos/")) == sorted(
        p["file"] for p in report["photos"]
    )
    states = sorted(m["state"] for m in data["mails"])
    assert states.count("sent") == 2 and states.count("pending") == 1
    for entry in data["mails"]:
        text = archive.read(entry["file"]).decode()
        assert entry["subject"] in text and f"№{own.pk}" in text
    assert sum(m.to == [citizen.email_address] for m in mail.outbox) == states.count("sent")


def test_nobody_elses_photos_or_mails_are_in_it(client, citizen, anna_files):
    _own, other = anna_files
    archive = _download(client, citizen)
    data = json.loads(archive.read("my-data.json"))
    assert all(f"№{other.pk}" not in archive.read(m["file"]).decode() for m in data["mails"])
    assert len([n for n in archive.namelist() if n.startswith("photos/")]) == 2


def test_every_export_is_in_the_audit_trail_without_contact_details(client, citizen, anna_files):
    _download(client, citizen)
    entry = AuditEntry.objects.get(action="account.export")
    assert entry.actor_id == citizen.pk and entry.object_id == str(citizen.pk)
    assert entry.origin == "127.0.0.1"
    assert "example.org" not in json.dumps(entry.detail) and "Анна" not in json.dumps(entry.detail)


def test_a_hidden_photo_is_still_in_its_authors_export(
    client, citizen, anna_files, make_user, settings, django_capture_on_commit_callbacks
):
    from gorod.accounts.models import User
    from gorod.reports.services import moderation

    moderator = make_user("moira", role=User.Role.MODERATOR)
    own, _other = anna_files
    photo = own.photos.order_by("order", "id").first()
    with photo.image.open("rb") as stored:
        original = stored.read()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.photo_set_hidden(photo=photo, actor=moderator, hidden=True)
    assert not (settings.MEDIA_ROOT / photo.image.name).exists()  # out of the public tree ...
    archive = _download(client, citizen)
    (report,) = json.loads(archive.read("my-data.json"))["reports"]
    first = report["photos"][0]
    assert first["hidden_from_the_public"] is True
    assert archive.read(first["file"]) == original  # ... and still the author's
