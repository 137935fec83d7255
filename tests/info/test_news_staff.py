"""The staff's editors under /backoffice/news/: who gets in, and forms that put the services' errors
back on their fields with a 400 and nothing saved."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gorod.core import clock
from gorod.info.news.models import NewsItem, PlannedWork
from tests.conftest import make_jpeg
from tests.info.conftest import NORTH_AREA

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("moderator", 200),
        ("admin", 200),
        ("executor", 403),
        ("head", 403),
        ("auditor", 403),
        ("citizen", 403),
    ],
)
def test_only_city_wide_staff_open_the_editor(staff_client, role, status):
    client = staff_client(role)
    for url in ("/backoffice/news/", "/backoffice/news/new/", "/backoffice/news/works/new/"):
        assert client.get(url).status_code == status, url


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    response = client.get("/backoffice/news/")
    assert response.status_code == 302 and "/account/" in response["Location"]


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone(dt.timedelta(hours=3))).strftime("%Y-%m-%dT%H:%M")


def test_staff_writes_news_with_a_photo(staff_client, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = staff_client("moderator")
    response = client.post(
        "/backoffice/news/new/",
        {
            "title": "Новость",
            "body": "**Текст**",
            "tags": "вода, ЖКХ",
            "district": city.districts.get(slug="north").pk,
            "published_at": _local(clock.now()),
            "photos": [SimpleUploadedFile("a.jpg", make_jpeg(), "image/jpeg")],
            "photo_alt": "Двор",
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.photos.count() == 1 and item.tags.count() == 2


def test_a_bad_photo_is_a_form_error(staff_client, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff_client("admin").post(
        "/backoffice/news/new/",
        {
            "title": "Новость",
            "body": "Текст",
            "published_at": _local(clock.now()),
            "photos": [SimpleUploadedFile("a.jpg", b"GIF89a nonsense", "image/jpeg")],
        },
    )
    assert response.status_code == 400 and "Фото 1" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_staff_edits_and_deletes_news(staff_client, make_news):
    item = make_news(title="Старое")
    client = staff_client("admin")
    response = client.post(
        f"/backoffice/news/{item.pk}/edit/",
        {"title": "Новое", "body": "x", "published_at": _local(clock.now())},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Новое"
    assert client.post(f"/backoffice/news/{item.pk}/delete/").status_code == 302
    assert not NewsItem.objects.exists()


def test_staff_adds_works_and_bad_input_comes_back_as_errors(staff_client, city):
    client = staff_client("moderator")
    today = clock.today()
    base = {
        "kind": "hot_water",
        "title": "Нет горячей воды",
        "geometry": json.dumps(NORTH_AREA),
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=10)).isoformat(),
        "published_at": _local(clock.now()),
    }
    bad = {
        "geometry": {"geometry": '{"type": "Point", "coordinates": [40, 60]}'},
        "dates": {"ends_on": (today - dt.timedelta(days=1)).isoformat()},
        "kind": {"kind": "earthquake"},
        "json": {"geometry": "{{{"},
    }
    for name, change in bad.items():
        response = client.post("/backoffice/news/works/new/", base | change)
        assert response.status_code == 400, name
        assert 'class="error-summary"' in response.content.decode(), name
    assert not PlannedWork.objects.exists()
    assert client.post("/backoffice/news/works/new/", base).status_code == 302
    work = PlannedWork.objects.get()
    assert work.district.slug == "north"
    assert client.get(f"/backoffice/news/works/{work.pk}/edit/").status_code == 200


def test_news_of_another_city_is_404_for_staff(staff_client, make_news, city):
    assert staff_client("admin").get("/backoffice/news/999999/edit/").status_code == 404
