"""The news pages read in one language: in Russian no English word of the interface shows (names of
formats and standards aside), in English no Russian one (the staff's own texts aside)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.backoffice.test_translations import CYRILLIC, LATIN, _shown
from tests.helpers import login_verified

pytestmark = pytest.mark.django_db
NAMES = {"RSS", "Atom", "iCal", "GeoJSON", "Point", "LineString", "Polygon", "Markdown", "HTML", "JPEG",
         "PNG", "WebP", "https", "e-mail", "Gorod", "Leaflet", "JavaScript"}  # fmt: skip


def _pages(make_news, make_work, news_staff):
    item = make_news(title="Новость", body="Текст новости", tags=["вода"])
    work = make_work(title="Ремонт", address="Северная улица, 5")
    public = ["/news/", f"/news/{item.pk}/", "/news/works/", f"/news/works/{work.pk}/", "/news/subscribe/"]
    staff = ["/backoffice/news/", "/backoffice/news/new/", f"/backoffice/news/{item.pk}/edit/",
             "/backoffice/news/works/new/", f"/backoffice/news/works/{work.pk}/edit/"]  # fmt: skip
    data = {"Новость", "Текст новости", "вода", "#вода", "Ремонт", "Северная улица, 5", "Северная улица",
            "Тестоград", "Testgrad", "Северный", "North"}  # fmt: skip
    data |= {u.username for u in news_staff.values()}
    return public, staff, data


@pytest.mark.parametrize(("language", "foreign"), [("ru", LATIN), ("en", CYRILLIC)])
def test_news_pages_speak_one_language(city, make_news, make_work, news_staff, language, foreign):
    public, staff, data = _pages(make_news, make_work, news_staff)
    client = login_verified(Client(), news_staff["admin"])
    client.cookies["django_language"] = language
    for url in public + staff:
        response = client.get(url)
        assert response.status_code == 200, url
        words = set(foreign.findall(_shown(response.content.decode(), data))) - NAMES
        # The staff's form shows the body and geometry it edits: data, not interface.
        words -= {"type", "coordinates"}
        assert not words, (url, sorted(words)[:12])
