"""Writes of news and planned works through the services: permissions, scheduling, photos, tags,
geometry and dates — good input and bad, and nothing half saved."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gorod.core import clock
from gorod.info.news import selectors, services
from gorod.info.news.models import NewsItem, NewsPhoto, NewsTag, PlannedWork
from tests.conftest import make_jpeg
from tests.info.conftest import NORTH_AREA, NORTH_LINE

pytestmark = pytest.mark.django_db


def test_news_by_city_staff_is_saved_with_tags_and_district(city, make_news):
    north = city.districts.get(slug="north")
    item = make_news(title="Ремонт", district=north, tags=["Дороги", "ремонт", "дороги "])
    assert item.district == north
    assert sorted(t.slug for t in item.tags.all()) == ["дороги", "ремонт"]


@pytest.mark.parametrize("role", ["executor", "head", "auditor", "citizen"])
def test_news_by_others_is_refused(city, news_staff, role):
    data = services.NewsData(title="x", body="y", published_at=clock.now())
    with pytest.raises(PermissionDenied):
        services.news_create(municipality=city, author=news_staff[role], data=data)
    assert not NewsItem.objects.exists()


def test_scheduled_news_is_hidden_until_its_time(city, make_news):
    with clock.frozen(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)):
        item = make_news(published_at=dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC))
        assert selectors.news_item(city, item.pk) is None
        assert list(selectors.published_news(city)) == []
    with clock.frozen(dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC)):
        assert selectors.news_item(city, item.pk) == item


def test_photos_are_reencoded_without_metadata(city, make_news):
    item = make_news(photos=[make_jpeg(exif_gps=True)], photo_alts=["Яма"])
    photo = item.photos.get()
    data = photo.image.read()
    assert data.startswith(b"\xff\xd8") and b"PhoneMaker" not in data and b"Exif" not in data
    assert photo.alt == "Яма" and photo.image.name.startswith("news/")


def test_a_bad_photo_saves_nothing(city, make_news):
    with pytest.raises(ValidationError) as error:
        make_news(photos=[make_jpeg(), b"<html>not a photo</html>"])
    assert "photos" in error.value.message_dict
    assert not NewsItem.objects.exists() and not NewsPhoto.objects.exists() and not NewsTag.objects.exists()


def test_too_many_tags_are_refused(city, make_news):
    with pytest.raises(ValidationError):
        make_news(tags=[f"t{i}" for i in range(services.MAX_TAGS + 1)])
    assert not NewsItem.objects.exists()


def test_parse_tags_trims_and_drops_repeats():
    assert services.parse_tags(" ЖКХ, жкх ; Вода,, ") == ["ЖКХ", "Вода"]


def test_work_gets_its_district_and_box(city, make_work):
    work = make_work(geometry=json.dumps(NORTH_AREA))
    assert work.district.slug == "north"
    assert (work.south, work.west, work.north, work.east) == (60.0, 30.3, 60.01, 30.31)


@pytest.mark.parametrize(
    ("shape", "why"),
    [
        ("not json", "not_json"),
        ('{"type": "Polygon", "coordinates": "x"}', "not_json"),
        ({"type": "MultiPoint", "coordinates": [[30.3, 60.0]]}, "bad_type"),
        ({"type": "Point", "coordinates": [30.3, 95.0]}, "range"),
        ({"type": "Point", "coordinates": [31.5, 60.0]}, "outside"),
        ({"type": "LineString", "coordinates": [[30.3, 60.0], [31.5, 60.0]]}, "outside"),
        # a bow tie: the ring crosses itself
        (
            {
                "type": "Polygon",
                "coordinates": [[[30.3, 60.0], [30.31, 60.01], [30.31, 60.0], [30.3, 60.01], [30.3, 60.0]]],
            },
            "invalid",
        ),
        ({"type": "Point", "coordinates": ["NaN", 60.0]}, "not_json"),
    ],
)
def test_bad_shapes_are_refused(city, make_work, shape, why):
    with pytest.raises(ValidationError) as error:
        make_work(geometry=shape)
    assert "geometry" in error.value.message_dict
    assert not PlannedWork.objects.exists()


def test_works_ending_before_they_start_are_refused(city, make_work):
    today = clock.today()
    with pytest.raises(ValidationError) as error:
        make_work(starts_on=today, ends_on=today - dt.timedelta(days=1))
    assert "ends_on" in error.value.message_dict
    assert not PlannedWork.objects.exists()


def test_works_near_a_point_are_found_and_far_ones_not(city, make_work):
    work = make_work(geometry=NORTH_LINE)
    near = selectors.works_near(city, 60.0004, 30.25)  # ~45 m north of the line's first point
    assert [n.work for n in near] == [work] and 30 < near[0].metres < 60
    assert selectors.works_near(city, 60.02, 30.25) == []


def test_finished_and_scheduled_works_are_not_near(city, make_work):
    today = clock.today()
    make_work(starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=1))
    make_work(published_at=clock.now() + dt.timedelta(days=1))
    assert selectors.works_near(city, 60.0, 30.25) == []


def test_search_finds_cyrillic_words_in_any_case(city, make_work):
    work = make_work(address="Невский проспект, 28")
    works = selectors.current_works(city)
    assert selectors.search_works(city, "НЕВСКИЙ 28", works) == [work]
    assert selectors.search_works(city, "Литейный", works) == []


def test_search_by_a_gazetteer_address_finds_works_near_it(city, make_work):
    # The test city's gazetteer puts Невский проспект at (59.99, 30.30); these works say nothing of it.
    near = make_work(
        title="Замена труб", address="квартал 12", geometry={"type": "Point", "coordinates": [30.301, 59.991]}
    )
    make_work(title="Далеко", address="квартал 40", geometry={"type": "Point", "coordinates": [30.35, 60.03]})
    works = selectors.current_works(city)
    assert selectors.search_works(city, "Невский проспект, 28", works) == [near]


def test_writes_are_in_the_audit_trail_without_their_texts(city, make_news, make_work, news_staff):
    from gorod.core.models import AuditEntry

    item = make_news(title="Секретный заголовок")
    work = make_work()
    work_id = str(work.pk)
    services.work_delete(work=work, actor=news_staff["moderator"])
    entries = list(AuditEntry.objects.filter(object_type__in=["news", "work"]).order_by("seq"))
    assert [(e.action, e.object_id) for e in entries] == [
        ("news.create", str(item.pk)),
        ("work.create", work_id),
        ("work.delete", work_id),
    ]
    assert entries[-1].actor_id == news_staff["moderator"].pk
    assert "Секретный" not in str([e.detail for e in entries])
