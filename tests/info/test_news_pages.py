"""The public pages of news and works, their feeds and the look-up the report form uses: what they
show, what they hide (scheduled items, hostile HTML) and how they answer bad parameters (404/400)."""

from __future__ import annotations

import datetime as dt

import defusedxml.ElementTree as ET
import pytest
from icalendar import Calendar

from gorod.core import clock

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Hello <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
    "[click](javascript:alert(3)) <a href='http://x' onclick='alert(4)'>a</a>\n\n**bold**"
)


def test_news_list_shows_published_and_hides_scheduled(client, make_news):
    make_news(title="Вчерашняя")
    make_news(title="Завтрашняя", published_at=clock.now() + dt.timedelta(days=1))
    page = client.get("/news/").content.decode()
    assert "Вчерашняя" in page and "Завтрашняя" not in page


def test_scheduled_news_page_is_404_until_its_time(client, make_news):
    item = make_news(published_at=clock.now() + dt.timedelta(hours=2))
    assert client.get(f"/news/{item.pk}/").status_code == 404
    with clock.frozen(clock.now() + dt.timedelta(hours=3)):
        assert client.get(f"/news/{item.pk}/").status_code == 200


def test_hostile_markdown_renders_as_harmless_html(client, make_news):
    item = make_news(body=HOSTILE, title="<b>Title</b>")
    page = client.get(f"/news/{item.pk}/").content.decode()
    # The hostile parts are there only as text: no tag, no handler attribute, no javascript: link.
    assert "<script>alert" not in page and "<img src=x" not in page and "<a href='http://x'" not in page
    assert 'href="javascript' not in page and "<b>Title</b>" not in page
    assert "&lt;script&gt;alert(1)" in page
    assert "<strong>bold</strong>" in page and "&lt;b&gt;Title&lt;/b&gt;" in page


def test_filters_by_district_and_tag(client, city, make_news):
    north, south = city.districts.get(slug="north"), city.districts.get(slug="south")
    make_news(title="Север", district=north, tags=["вода"])
    make_news(title="Юг", district=south)
    make_news(title="Весь город")
    page = client.get("/news/?district=north").content.decode()
    assert "Север" in page and "Весь город" in page and "Юг" not in page
    page = client.get("/news/?tag=вода").content.decode()
    assert "Север" in page and "Юг" not in page and "Весь город" not in page


@pytest.mark.parametrize("query", ["district=nowhere", "tag=nothing", "district=../../etc"])
def test_unknown_filters_are_404(client, city, query):
    assert client.get(f"/news/?{query}").status_code == 404


def test_bad_page_number_is_not_an_error(client, make_news):
    make_news()
    assert client.get("/news/?page=abc").status_code == 200
    assert client.get("/news/?page=99999999999999999999").status_code == 200


def test_rss_and_atom_parse_and_carry_only_published_items(client, city, make_news):
    make_news(title="Опубликована", body=HOSTILE, tags=["вода"], district=city.districts.get(slug="north"))
    make_news(title="Запланирована", published_at=clock.now() + dt.timedelta(days=1))
    for url in ("/news/rss/", "/news/atom/", "/news/district/north/rss/", "/news/district/north/atom/"):
        response = client.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)
        text = ET.tostring(root, encoding="unicode")
        assert "Опубликована" in text and "Запланирована" not in text
        # The item's HTML (after XML unescaping) is the sanitized page body: hostile tags only as text.
        html = " ".join(
            e.text or "" for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("description", "summary")
        )
        assert "<strong>bold</strong>" in html
        assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    south = ET.fromstring(client.get("/news/district/south/rss/").content)
    assert "Опубликована" not in ET.tostring(south, encoding="unicode")


@pytest.mark.parametrize(
    "url", ["/news/district/nowhere/rss/", "/news/district/nowhere/atom/", "/news/district/nowhere/works.ics"]
)
def test_feeds_of_unknown_districts_are_404(client, city, url):
    assert client.get(url).status_code == 404


def test_ical_feed_parses_with_all_day_events(client, make_work):
    work = make_work(title="Ремонт <дороги>")
    for url in ("/news/works.ics", "/news/district/north/works.ics"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        events = Calendar.from_ical(response.content).walk("VEVENT")
        assert len(events) == 1
        event = events[0]
        assert "Ремонт <дороги>" in str(event["summary"])
        assert event.decoded("dtstart") == work.starts_on
        assert event.decoded("dtend") == work.ends_on + dt.timedelta(days=1)
    assert Calendar.from_ical(client.get("/news/district/south/works.ics").content).walk("VEVENT") == []


def test_works_page_lists_searches_and_filters(client, make_work):
    make_work(title="Ремонт Невского", address="Невский проспект")
    make_work(title="Нет воды", kind="hot_water", address="Литейный проспект")
    page = client.get("/news/works/?q=невский").content.decode()
    assert "Ремонт Невского" in page and "Нет воды" not in page
    page = client.get("/news/works/?kind=hot_water").content.decode()
    assert "Нет воды" in page and "Ремонт Невского" not in page
    assert client.get("/news/works/?kind=bogus").status_code == 404
    assert client.get("/news/works/?district=bogus").status_code == 404


def test_works_geojson_has_only_public_fields(client, make_work):
    make_work()
    data = client.get("/news/works.geojson").json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "LineString"
    assert "author" not in feature["properties"]


def test_work_page(client, make_work):
    work = make_work()
    assert client.get(f"/news/works/{work.pk}/").status_code == 200
    scheduled = make_work(published_at=clock.now() + dt.timedelta(days=1))
    assert client.get(f"/news/works/{scheduled.pk}/").status_code == 404


def test_works_near_lookup_for_the_report_form(client, make_work):
    work = make_work()
    page = client.get("/news/works/near/", {"lat": "60.0004", "lon": "30.25"}).content.decode()
    assert work.title in page and work.ends_on.strftime("%d.%m") in page
    assert (
        work.title not in client.get("/news/works/near/", {"lat": "60.03", "lon": "30.25"}).content.decode()
    )
    data = client.get(
        "/news/works/near/", {"lat": "60.0004", "lon": "30.25"}, HTTP_ACCEPT="application/json"
    ).json()
    assert data["works"][0]["id"] == work.pk
    # No pin yet: an empty answer, not an error.
    assert client.get("/news/works/near/").status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "abc", "lon": "30"},
        {"lat": "60", "lon": ""},
        {"lat": "91", "lon": "30"},
        {"lat": "nan", "lon": "30"},
        {"lat": "inf", "lon": "30"},
    ],
)
def test_works_near_with_bad_coordinates_is_400(client, city, params):
    assert client.get("/news/works/near/", params).status_code == 400


def test_report_page_and_form_ask_for_works_nearby(client, file_report):
    report = file_report()
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "/news/works/near/?lat=" in page
    assert "/news/works/near/" in client.get("/reports/new/").content.decode()


def test_list_pages_cost_the_same_queries_for_more_rows(client, city, make_news, make_work):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_jpeg

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_news(tags=["a"], photos=[make_jpeg()], district=city.districts.get(slug="north"))
    make_work()
    few = count("/news/"), count("/news/works/"), count("/news/rss/")
    for i in range(6):
        make_news(
            title=f"n{i}",
            tags=[f"t{i}", "a"],
            photos=[make_jpeg()],
            district=city.districts.get(slug="south"),
        )
        make_work(title=f"w{i}")
    assert (count("/news/"), count("/news/works/"), count("/news/rss/")) == few
