"""A report form that comes back with an error keeps every field, photos included: the photos wait
re-encoded in a private folder of the browser session, are shown as thumbnails with a remove box, and
are filed when the form is sent again without choosing them again. Another session cannot use them,
and they go when filed, removed or expired."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from gorod.core import clock
from gorod.reports import held_photos
from gorod.reports.models import Report
from tests.conftest import make_jpeg
from tests.reports.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def held_files(settings) -> list[Path]:
    root = Path(settings.GOROD_HELD_PHOTOS_DIR)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def tokens_in(html: str) -> list[str]:
    return re.findall(r'name="held_photo" value="([0-9a-f]{32})"', html)


def photo(name="яма.jpg", **kwargs):
    return SimpleUploadedFile(name, make_jpeg(exif_gps=True, **kwargs), content_type="image/jpeg")


def fail_with_photo(en, categories, **overrides):
    """Post the form with a photo and an error (outside the city by default); the page's tokens."""
    data = form_data(categories, photos=photo(), **({"lat": "55.75", "lon": "37.62"} | overrides))
    response = en.post("/reports/new/", data)
    assert response.status_code == 200
    assert Report.objects.count() == 0
    return response.text, tokens_in(response.text)


def test_a_form_error_keeps_the_photo_and_every_field(en, frozen_spring, categories, settings):
    html, tokens = fail_with_photo(en, categories)
    assert "This place is outside Testgrad." in html
    assert len(tokens) == 1
    assert f'src="/reports/new/photo/{tokens[0]}/"' in html
    assert f'name="held_photo_remove" value="{tokens[0]}"' in html
    assert 'value="Иван Петров"' in html and "Глубокая яма у дома 5" in html and 'value="12"' in html
    (path,) = held_files(settings)
    assert not str(path).startswith(str(settings.MEDIA_ROOT))  # nothing under the public media tree
    # Kept re-encoded: no EXIF (the phone's GPS position) survives.
    with Image.open(path) as image:
        assert not image.getexif()
    thumb = en.get(f"/reports/new/photo/{tokens[0]}/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert "no-store" in thumb["Cache-Control"]


@pytest.mark.parametrize(
    "error",
    [
        {"category": ""},  # missing category
        {"description": ""},  # missing field
        {"attribute[depth]": "deep"},  # bad attribute
        {"email": "not-an-address"},  # bad field
    ],
)
def test_any_form_error_keeps_the_photo(en, frozen_spring, categories, error):
    _html, tokens = fail_with_photo(en, categories, lat="60.0", lon="30.3", **error)
    assert len(tokens) == 1


def test_resubmitting_files_the_kept_photo_and_deletes_the_temporary_file(
    en, frozen_spring, categories, settings
):
    _html, tokens = fail_with_photo(en, categories)
    response = en.post("/reports/new/", form_data(categories, held_photo=tokens))
    assert response.status_code == 302, response.content[:300]
    report = Report.objects.get()
    assert report.photos.count() == 1
    assert held_files(settings) == []
    assert en.get(f"/reports/new/photo/{tokens[0]}/").status_code == 404


def test_kept_and_new_photos_are_filed_together(en, frozen_spring, categories):
    _html, tokens = fail_with_photo(en, categories)
    data = form_data(categories, held_photo=tokens, photos=photo(color=(0, 0, 200)))
    assert en.post("/reports/new/", data).status_code == 302
    assert Report.objects.get().photos.count() == 2


def test_a_removed_photo_is_not_filed_and_its_file_goes(en, frozen_spring, categories, settings):
    _html, tokens = fail_with_photo(en, categories)
    data = form_data(categories, held_photo=tokens, held_photo_remove=tokens)
    assert en.post("/reports/new/", data).status_code == 302
    assert Report.objects.get().photos.count() == 0
    assert held_files(settings) == []


def test_another_session_cannot_claim_or_see_the_photo(en, frozen_spring, categories, settings):
    _html, tokens = fail_with_photo(en, categories)
    stranger = Client()
    stranger.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert stranger.get(f"/reports/new/photo/{tokens[0]}/").status_code == 404
    response = stranger.post("/reports/new/", form_data(categories, held_photo=tokens))
    assert response.status_code == 200
    assert "is no longer kept" in response.text
    assert Report.objects.count() == 0
    assert tokens_in(response.text) == []
    # Removing it from the other session does nothing either: the owner still has it.
    stranger.post("/reports/new/", form_data(categories, held_photo=tokens, held_photo_remove=tokens))
    assert len(held_files(settings)) == 1
    assert en.get(f"/reports/new/photo/{tokens[0]}/").status_code == 200


def test_an_expired_photo_is_refused_clearly_and_purged(en, categories, settings):
    settings.GOROD_HELD_PHOTOS_TTL_S = 3600
    start = dt.datetime(2026, 5, 12, 10, 0, tzinfo=dt.UTC)
    with clock.frozen(start):
        _html, tokens = fail_with_photo(en, categories)
    with clock.frozen(start + dt.timedelta(minutes=59)):
        assert held_photos.purge_expired() == 0
    with clock.frozen(start + dt.timedelta(minutes=61)):
        response = en.post("/reports/new/", form_data(categories, held_photo=tokens))
        assert response.status_code == 200 and "is no longer kept" in response.text
        assert Report.objects.count() == 0
        assert held_photos.purge_expired() == 1
    assert held_files(settings) == []


@pytest.mark.parametrize("token", ["..%2F..%2Fetc%2Fpasswd", "0" * 31, "G" * 32, "0" * 33])
def test_a_malformed_token_is_a_404_and_a_form_error(en, frozen_spring, categories, token):
    assert en.get(f"/reports/new/photo/{token}/").status_code == 404
    response = en.post("/reports/new/", form_data(categories, held_photo=[token]))
    assert response.status_code == 200 and "is no longer kept" in response.text
    assert Report.objects.count() == 0


def test_a_file_that_is_not_a_photo_is_not_kept(en, frozen_spring, categories, settings):
    fake = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    html = en.post("/reports/new/", form_data(categories, photos=fake)).text
    assert "This file is not a photo we can read." in html
    assert tokens_in(html) == [] and held_files(settings) == []


def test_the_purge_runs_on_the_worker_timetable(settings):
    assert any(job == "gorod.reports.tasks.purge_held_photos" for job, _ in settings.GOROD_PERIODIC_JOBS)


def test_an_empty_kept_photo_field_is_ignored(en, frozen_spring, categories):
    assert en.post("/reports/new/", form_data(categories, held_photo=[""])).status_code == 302
