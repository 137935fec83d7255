import datetime as dt

import pytest
from django.db import connection

from gorod.core import crypto
from gorod.reports.models import Photo, Report, ReportEvent
from gorod.reports.services import ReportInvalid, report_create
from gorod.reports.workflow import Status
from tests.conftest import make_jpeg

pytestmark = pytest.mark.django_db


def test_report_is_routed_to_the_department_of_its_rule_with_working_day_deadlines(
    frozen_spring, file_report
):
    # Filed Wed 13 May 2026: moderation 1 working day -> Thu 14. Then 9 working days, Sat 16 May being a
    # moved working day: 15, 16, 18, 19, 20, 21, 22, 25, 26 -> Tue 26 May.
    report = file_report()
    assert report.department.slug == "roads"
    assert report.district.slug == "north"
    assert report.status == Status.SUBMITTED
    assert report.moderation_due == dt.date(2026, 5, 14)
    assert report.deadline == dt.date(2026, 5, 26)
    event = ReportEvent.objects.get(report=report)
    assert (event.action, event.from_status, event.to_status) == ("submit", "", "submitted")


def test_district_rule_overrides_the_category_default(frozen_spring, file_report, categories):
    south = file_report(category=categories["litter"], lat=59.9, attributes={})
    north = file_report(category=categories["litter"], lat=60.0, attributes={})
    assert south.department.slug == "south-yards"
    assert north.department.slug == "yards"


def test_report_outside_city_is_refused_and_nothing_saved(frozen_spring, file_report):
    with pytest.raises(ReportInvalid) as exc:
        file_report(lat=55.75, lon=37.62)
    assert "location" in exc.value.message_dict
    assert Report.objects.count() == 0


def test_out_of_season_category_is_refused(frozen_spring, file_report, categories):
    with pytest.raises(ReportInvalid) as exc:
        file_report(category=categories["snow"], attributes={})
    assert "15.11" in exc.value.message_dict["category"][0]


def test_season_that_wraps_the_new_year_is_open_in_january(file_report, categories):
    from zoneinfo import ZoneInfo

    from gorod.core import clock

    with clock.frozen(dt.datetime(2026, 1, 20, 12, tzinfo=ZoneInfo("Europe/Moscow"))):
        report = file_report(category=categories["snow"], attributes={})
    assert report.pk


def test_contact_details_are_encrypted_at_rest(frozen_spring, file_report):
    report = file_report(contact_phone="+7 900 000-00-00")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_email, contact_phone FROM reports_report WHERE id = %s", [report.pk]
        )
        raw = cursor.fetchone()
    clear = ("Иван", "example.org", "+7 900")
    assert all(value and not any(text in value for text in clear) for value in raw)
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.contact_name, fresh.contact_email) == ("Иван Петров", "ivan@example.org")
    assert fresh.email_hash == crypto.lookup_hash("IVAN@example.org ")


def test_name_is_private_unless_the_author_allows_it(frozen_spring, file_report):
    assert file_report().public_name == ""
    assert file_report(show_name=True).public_name == "Иван Петров"


def test_anonymous_only_where_the_category_allows(frozen_spring, file_report, categories):
    with pytest.raises(ReportInvalid) as exc:
        file_report(anonymous=True)
    assert "anonymous" in exc.value.message_dict
    report = file_report(category=categories["litter"], attributes={}, anonymous=True, show_name=True)
    assert report.anonymous and report.public_name == ""


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ({}, "attribute[depth]"),
        ({"depth": "deep"}, "attribute[depth]"),
        ({"depth": "nan"}, "attribute[depth]"),
        ({"depth": "3", "size": "huge"}, "attribute[size]"),
        ({"depth": "3", "hazards": ["water", "fire"]}, "attribute[hazards]"),
        ({"depth": "3", "noticed": "yesterday"}, "attribute[noticed]"),
        ({"depth": "3", "lane": "x" * 301}, "attribute[lane]"),
        ({"depth": "3", "colour": "red"}, "attribute[colour]"),
        ({"depth": ["1", "2"]}, "attribute[depth]"),
    ],
)
def test_bad_attribute_values_are_refused(frozen_spring, file_report, attributes, field):
    with pytest.raises(ReportInvalid) as exc:
        file_report(attributes=attributes)
    assert field in exc.value.message_dict
    assert Report.objects.count() == 0


def test_all_attribute_datatypes_are_stored_normalised(frozen_spring, file_report):
    report = file_report(
        attributes={
            "depth": "12,5",
            "lane": "левая",
            "noticed": "2026-05-12T08:00:00+03:00",
            "details": "много текста",
            "size": "large",
            "hazards": ["water", "dark", "water"],
        }
    )
    assert report.attributes == {
        "depth": 12.5,
        "lane": "левая",
        "noticed": "2026-05-12T08:00:00+03:00",
        "details": "много текста",
        "size": "large",
        "hazards": ["water", "dark"],
    }


def test_address_text_is_placed_by_the_gazetteer(frozen_spring, file_report):
    report = file_report(lat=None, lon=None, address="Садовая улица, 12")
    assert report.district.slug == "south"
    with pytest.raises(ReportInvalid) as exc:
        file_report(lat=None, lon=None, address="Нет такой улицы")
    assert "location" in exc.value.message_dict


def test_photos_are_reencoded_resized_and_stripped_of_metadata(frozen_spring, file_report):
    from PIL import Image

    big = make_jpeg(size=(3000, 1000), exif_gps=True)
    assert b"PhoneMaker" in big
    report = file_report(photos=[big, make_jpeg(fmt="PNG")])
    photos = list(report.photos.all())
    assert len(photos) == 2
    first = photos[0]
    with first.image.open("rb") as fh:
        data = fh.read()
    assert b"PhoneMaker" not in data and b"Exif" not in data
    image = Image.open(first.image.path)
    assert image.size == (2048, 683)
    assert not image.getexif()
    assert first.image.name.endswith(".jpg") and "photo" not in first.image.name


@pytest.mark.parametrize("payload", [b"not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, b""])
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_saved(frozen_spring, file_report, payload):
    with pytest.raises(ReportInvalid) as exc:
        file_report(photos=[payload])
    assert "media" in exc.value.message_dict
    assert Report.objects.count() == 0 and Photo.objects.count() == 0


def test_more_than_three_photos_are_refused(frozen_spring, file_report):
    with pytest.raises(ReportInvalid):
        file_report(photos=[make_jpeg()] * 4)


def test_decompression_bomb_is_refused(frozen_spring, file_report, settings):
    settings.GOROD_PHOTO_MAX_PIXELS = 1000
    with pytest.raises(ReportInvalid) as exc:
        file_report(photos=[make_jpeg(size=(100, 100))])
    assert "media" in exc.value.message_dict


def test_empty_or_too_long_description_is_refused(frozen_spring, file_report):
    for text in ("", "   ", "x" * 4001):
        with pytest.raises(ReportInvalid) as exc:
            file_report(description=text)
        assert "description" in exc.value.message_dict


def test_category_of_another_city_is_refused(frozen_spring, city, new_report):
    from gorod.city.models import Municipality

    other = Municipality.objects.create(
        slug="other", name="Другой", jurisdiction_id="other.example", center_lat=0, center_lon=0
    )
    with pytest.raises(ReportInvalid) as exc:
        report_create(municipality=other, data=new_report())
    assert "category" in exc.value.message_dict
