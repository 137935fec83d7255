"""Findings of the first security review, each pinned by a test."""

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile

from gorod.core import crypto
from gorod.reports.models import Photo, Report
from gorod.reports.services import ReportInvalid, report_transition
from tests.conftest import make_jpeg

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "яма\x00"}, "description"),
        ({"address": "Невский\x00"}, "address"),
        ({"contact_name": "Ив\x00ан"}, "name"),
        ({"attributes": {"depth": "3", "lane": "a\x00b"}}, "attribute[lane]"),
    ],
)
def test_nul_characters_are_refused_with_the_field_named(frozen_spring, file_report, overrides, field):
    with pytest.raises(ReportInvalid) as exc:
        file_report(**overrides)
    assert field in exc.value.message_dict
    assert Report.objects.count() == 0


def test_public_pages_never_read_contact_details(frozen_spring, file_report, client, settings):
    report = file_report()
    # Keys lost or rotated badly: the public pages must still work, as they never decrypt contacts.
    settings.GOROD_PII_KEYS = [Fernet.generate_key().decode()]
    crypto.reset_keys()
    try:
        for url in ("/", "/reports/", f"/reports/{report.pk}/", "/feeds/rss/"):
            assert client.get(url).status_code == 200, url
    finally:
        crypto.reset_keys()


def test_duplicate_of_a_duplicate_points_at_the_original(frozen_spring, file_report):
    original, first, second = file_report(), file_report(), file_report()
    report_transition(report=first, action="mark_duplicate", duplicate_of=original)
    second = report_transition(report=second, action="mark_duplicate", duplicate_of=first)
    assert second.duplicate_of == original


def test_marking_the_original_as_duplicate_of_its_copy_is_refused(frozen_spring, file_report):
    from gorod.reports.services import ReportInvalid

    original, copy = file_report(), file_report()
    report_transition(report=copy, action="mark_duplicate", duplicate_of=original)
    with pytest.raises(ReportInvalid):
        report_transition(report=original, action="mark_duplicate", duplicate_of=copy)


def test_photos_of_a_rolled_back_report_are_removed(frozen_spring, file_report, monkeypatch, settings):
    from gorod.reports import events

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(events, "record", broken)
    with pytest.raises(RuntimeError):
        file_report(photos=[make_jpeg(), make_jpeg()])
    assert Report.objects.count() == 0 and Photo.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_open311_drops_file_fields_other_than_media(city, client):
    from gorod.open311.services import api_key_create

    _, key = api_key_create(name="t")
    junk = SimpleUploadedFile("junk.bin", b"x" * 2048)
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "litter", "lat": "59.9", "long": "30.3", "description": "мусор",
         "junk": junk},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert Photo.objects.count() == 0


def test_open311_refuses_a_body_too_large_for_any_report(city, client, settings):
    response = client.generic(
        "POST",
        "/open311/v2/requests.json",
        b"api_key=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 400
