import defusedxml.ElementTree as ET
import pytest

from gorod.reports.services import report_transition

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '<script>alert(1)</script> " onerror=alert(2) x'


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def rss_items(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    return root.findall("./channel/item")


def atom_entries(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_city_feeds_are_valid_rss_and_atom_with_every_new_report(en, frozen_spring, file_report):
    first, second = file_report(), file_report(description="Вторая")
    items = rss_items(en.get("/feeds/rss/"))
    assert [i.findtext("link").rsplit("/", 2)[-2] for i in items] == [str(second.pk), str(first.pk)]
    assert items[0].findtext("title") == f"#{second.pk} Pothole, North"
    assert items[0].findtext("category") == "Pothole"
    entries = atom_entries(en.get("/feeds/atom/"))
    assert len(entries) == 2
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/reports/{second.pk}/")


def test_district_feed_has_only_that_districts_reports(en, frozen_spring, file_report):
    north = file_report(lat=60.0)
    south = file_report(lat=59.9)
    links = [i.findtext("link") for i in rss_items(en.get("/feeds/district/south/rss/"))]
    assert len(links) == 1 and links[0].endswith(f"/reports/{south.pk}/")
    entries = atom_entries(en.get("/feeds/district/north/atom/"))
    assert [e.find(f"{ATOM}link").get("href").rsplit("/", 2)[-2] for e in entries] == [str(north.pk)]


def test_category_feed_has_only_that_categorys_reports(en, frozen_spring, file_report, categories):
    file_report()
    litter = file_report(category=categories["litter"], attributes={})
    items = rss_items(en.get("/feeds/category/litter/rss/"))
    assert [i.findtext("link").rsplit("/", 2)[-2] for i in items] == [str(litter.pk)]
    assert atom_entries(en.get("/feeds/category/pothole/atom/"))
    assert atom_entries(en.get("/feeds/category/snow/atom/")) == []


@pytest.mark.parametrize("path", ["/feeds/district/nowhere/rss/", "/feeds/category/nothing/atom/"])
def test_unknown_district_or_category_feed_is_a_404(en, city, path):
    assert en.get(path).status_code == 404


def test_feed_titles_are_translated(client, settings, frozen_spring, file_report):
    file_report()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    root = ET.fromstring(client.get("/feeds/district/north/rss/").content)
    assert root.findtext("./channel/title") == "Новые сообщения: Северный, Тестоград"
    assert root.findtext("./channel/item/title").endswith("Яма на дороге, Северный")


def test_hostile_text_in_feeds_is_escaped_as_text(en, frozen_spring, file_report):
    file_report(description=HOSTILE, address=HOSTILE)
    for path in ("/feeds/rss/", "/feeds/atom/", "/feeds/district/north/rss/"):
        response = en.get(path)
        assert b"<script>" not in response.content
        # The description element is HTML: after XML decoding, the citizen's text must still be escaped.
        root = ET.fromstring(response.content)
        for text in [e.text or "" for e in root.iter() if e.tag in ("description", f"{ATOM}summary")]:
            assert "<script>" not in text and '" onerror' not in text
        assert "&amp;lt;script&amp;gt;alert(1)" in response.content.decode()


def test_feeds_carry_no_personal_data_or_private_notes(en, frozen_spring, file_report):
    report = file_report(show_name=True, contact_phone="+7 911 222-33-44")
    report_transition(report=report, action="accept", public_note="ok", private_note="SECRET-NOTE-42")
    for path in ("/feeds/rss/", "/feeds/atom/", "/feeds/category/pothole/rss/"):
        body = en.get(path).content.decode()
        for secret in ("Иван", "Петров", "ivan@example.org", "222-33-44", "SECRET-NOTE-42"):
            assert secret not in body
        assert "<author" not in body and "<dc:creator" not in body


def test_feeds_of_a_site_without_a_city_are_404(client, db):
    assert client.get("/feeds/rss/").status_code == 404
