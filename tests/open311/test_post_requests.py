"""POST requests: the same report_create as the web form, and every refusal as a 400/403/404 list."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from PIL import Image

from gorod.open311.models import ApiKey
from gorod.reports.models import Photo, Report
from tests.conftest import make_jpeg
from tests.open311.conftest import BASE, as_text, errors_of, xml_data

pytestmark = pytest.mark.django_db


def created_of(response) -> dict:
    assert response.status_code == 200, response.content[:500]
    (item,) = json.loads(response.content)
    return item


def test_post_creates_a_report_through_the_shared_service(o311, frozen_spring, form):
    item = created_of(o311.post(**form(**{"attribute[size]": "large"})))
    report = Report.objects.get(pk=item["service_request_id"])
    assert report.source == Report.Source.OPEN311
    assert report.category.service_code == "pothole"
    assert report.attributes == {"depth": 12.0, "size": "large"}
    assert report.contact_name == "Мария Иванова"
    assert report.contact_email == "citizen@example.org"
    assert set(item) == {"service_request_id", "service_notice", "account_id", "token"}
    assert item["token"] == str(report.token)
    assert item["account_id"] is None
    assert "2026-05-14" in item["service_notice"] and "2026-05-26" in item["service_notice"]


def test_post_answers_the_same_content_in_xml(o311, frozen_spring, form):
    response = o311.post("xml", **form())
    assert response.status_code == 200
    (item,) = xml_data(response.content)
    report = Report.objects.get()
    assert item == as_text(
        {
            "service_request_id": report.pk,
            "service_notice": item["service_notice"],
            "account_id": None,
            "token": str(report.token),
        }
    )


def test_post_then_get_shows_routing_and_deadline(o311, frozen_spring, form):
    item = created_of(
        o311.post(**form(**{"lat": "59.9", "service_code": "litter", "attribute[depth]": None}))
    )
    (request,) = o311.both(f"requests/{item['service_request_id']}", locale="en")
    # A district rule sends litter in the south to the south's own agency.
    assert request["agency_responsible"] == "South Housing Agency"
    # Filed Wed 13 May 2026; moderation 1 working day (Thu 14), then 3 working days: 15, 16 (a moved
    # working Saturday), 18 May, to the end of that day in Moscow time.
    assert request["expected_datetime"] == "2026-05-18T23:59:59+03:00"
    assert request["requested_datetime"] == "2026-05-13T10:00:00+03:00"
    assert request["status"] == "open"
    assert request["service_code"] == "litter"
    assert request["service_name"] == "Litter in a yard"
    assert (request["lat"], request["long"]) == (59.9, 30.3)


def test_post_by_address_string_is_placed_from_the_gazetteer(o311, frozen_spring, form):
    item = created_of(o311.post(**form(lat=None, long=None, address_string="Невский проспект, 28")))
    report = Report.objects.get(pk=item["service_request_id"])
    assert (report.lat, report.lon) == (59.99, 30.30)
    assert report.address == "Невский проспект, 28"


def test_multivaluelist_takes_repeated_bracket_values(city, frozen_spring, api_key, client):
    body = (
        f"api_key={api_key}&service_code=pothole&lat=60&long=30.3&description=x&attribute[depth]=3"
        "&attribute[hazards][]=water&attribute[hazards][]=dark"
    )
    response = client.post(f"{BASE}requests.json", body, content_type="application/x-www-form-urlencoded")
    item = created_of(response)
    assert Report.objects.get(pk=item["service_request_id"]).attributes["hazards"] == ["water", "dark"]


def test_multipart_media_files_become_re_encoded_photos(o311, frozen_spring, form):
    gps_photo = io.BytesIO(make_jpeg(size=(3000, 1000), exif_gps=True))
    gps_photo.name = "IMG_0001 <script>.jpg"
    png = io.BytesIO(make_jpeg(fmt="PNG"))
    png.name = "second.png"
    item = created_of(o311.post(**form(media=[gps_photo, png])))
    photos = list(Photo.objects.filter(report_id=item["service_request_id"]).order_by("order"))
    assert len(photos) == 2
    with photos[0].image.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert max(image.size) == 2048
        assert not image.getexif()
    assert "script" not in photos[0].image.name
    (request,) = o311.both(f"requests/{item['service_request_id']}", extensions="true")
    assert request["media_url"] == "http://testserver" + photos[0].image.url
    assert request["extended_attributes"]["media_urls"] == ["http://testserver" + p.image.url for p in photos]


def test_media_url_is_accepted_but_never_fetched(o311, frozen_spring, form, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("a client's media_url must never be fetched")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    item = created_of(o311.post(**form(media_url="http://169.254.169.254/latest/meta-data")))
    assert not Photo.objects.filter(report_id=item["service_request_id"]).exists()


def test_device_and_account_ids_are_accepted_and_not_echoed(o311, frozen_spring, form):
    item = created_of(o311.post(**form(device_id="tt222111", account_id="123456")))
    assert item["account_id"] is None


def test_successful_post_marks_the_key_as_used(o311, frozen_spring, form):
    created_of(o311.post(**form()))
    assert ApiKey.objects.get().last_used == frozen_spring


# --- refusals --------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", [None, "", "wrong", "g311_" + "x" * 43, "k" * 10_000])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_or_wrong_api_key_is_403(o311, frozen_spring, form, key, fmt):
    response = o311.post(fmt, **form(api_key=key))
    assert response.status_code == 403
    assert errors_of(response)[0].startswith("api_key:")
    assert Report.objects.count() == 0


def test_revoked_api_key_is_403(o311, frozen_spring, form):
    ApiKey.objects.update(active=False)
    assert o311.post(**form()).status_code == 403


def test_api_key_in_the_query_string_is_not_enough(client, frozen_spring, form, api_key):
    fields = form(api_key=None)
    response = client.post(f"{BASE}requests.json?api_key={api_key}", fields)
    assert response.status_code == 403


def refused(o311, fields, fmt="json", status=400) -> list[str]:
    response = o311.post(fmt, **fields)
    assert response.status_code == status, response.content[:500]
    assert Report.objects.count() == 0, "nothing is saved when a request is refused"
    return errors_of(response)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_service_code_is_400(o311, frozen_spring, form, fmt):
    (error,) = refused(o311, form(service_code=None), fmt)
    assert error.startswith("service_code:")


@pytest.mark.parametrize("code", ["unknown", "POTHOLE"])
def test_unknown_service_code_is_404(o311, frozen_spring, form, code):
    assert refused(o311, form(service_code=code), status=404)[0].startswith("service_code:")


@pytest.mark.parametrize("code", ["<script>", "x" * 5000, "pot hole"])
def test_malformed_service_code_is_400(o311, frozen_spring, form, code):
    (error,) = refused(o311, form(service_code=code))
    assert error.startswith("service_code:")


@pytest.mark.parametrize(
    ("lat", "long", "field"),
    [
        ("abc", "30.3", "lat"),
        ("60.0", "east", "long"),
        ("nan", "30.3", "lat"),
        ("inf", "30.3", "lat"),
        ("1e400", "30.3", "lat"),
        ("91", "30.3", "lat"),
        ("60.0", "-181", "long"),
        ("60.0", None, "lat/long"),
        ("9" * 5000, "30.3", "lat"),
    ],
)
def test_bad_coordinates_are_400_naming_the_field(o311, frozen_spring, form, lat, long, field):
    assert refused(o311, form(lat=lat, long=long))[0].startswith(f"{field}:")


def test_place_outside_the_city_is_refused(o311, frozen_spring, form):
    (error,) = refused(o311, form(lat="55.75", long="37.62"))
    assert error.startswith("lat/long:")


def test_unknown_address_is_refused_naming_address_string(o311, frozen_spring, form):
    (error,) = refused(o311, form(lat=None, long=None, address_string="Улица, которой нет"))
    assert error.startswith("address_string:")


def test_no_location_at_all_is_refused(o311, frozen_spring, form):
    assert refused(o311, form(lat=None, long=None))[0].startswith("address_string:")


def test_address_id_alone_is_refused_as_unsupported(o311, frozen_spring, form):
    (error,) = refused(o311, form(lat=None, long=None, address_id="545483"))
    assert error.startswith("address_id:")


def test_address_id_with_coordinates_is_ignored(o311, frozen_spring, form):
    assert o311.post(**form(address_id="545483")).status_code == 200


def test_out_of_season_service_is_refused(o311, frozen_spring, form):
    (error,) = refused(o311, form(service_code="snow", **{"attribute[depth]": None}))
    assert error.startswith("service_code:") and "15.11" in error


def test_description_over_4000_characters_is_refused(o311, frozen_spring, form):
    (error,) = refused(o311, form(description="я" * 4001))
    assert error.startswith("description:") and "4000" in error


def test_empty_description_is_refused(o311, frozen_spring, form):
    assert refused(o311, form(description="   "))[0].startswith("description:")


def test_missing_required_attribute_is_refused(o311, frozen_spring, form):
    assert refused(o311, form(**{"attribute[depth]": None}))[0].startswith("attribute[depth]:")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"attribute[depth]": "deep"}, "attribute[depth]"),
        ({"attribute[depth]": "inf"}, "attribute[depth]"),
        ({"attribute[noticed]": "yesterday"}, "attribute[noticed]"),
        ({"attribute[size]": "huge"}, "attribute[size]"),
        ({"attribute[size]": ["small", "large"]}, "attribute[size]"),
        ({"attribute[hazards][]": ["water", "fire"]}, "attribute[hazards]"),
        ({"attribute[lane]": "x" * 301}, "attribute[lane]"),
        ({"attribute[nonexistent]": "1"}, "attribute[nonexistent]"),
        ({"attribute[": "1"}, "attribute["),
        ({"attribute[a][b]": "1"}, "attribute[a][b]"),
    ],
)
def test_bad_attribute_values_are_refused_naming_the_attribute(o311, frozen_spring, form, fields, field):
    errors = refused(o311, form(**fields))
    assert any(e.startswith(f"{field}:") for e in errors), errors


def test_every_problem_is_reported_at_once(o311, frozen_spring, form):
    errors = refused(o311, form(description="", email="not-an-email", **{"attribute[depth]": "deep"}))
    assert {e.split(":")[0] for e in errors} == {"description", "email", "attribute[depth]"}


def test_too_long_contact_name_is_refused(o311, frozen_spring, form):
    assert refused(o311, form(first_name="Я" * 300))[0].startswith("first_name/last_name:")


def test_more_than_three_photos_are_refused(o311, frozen_spring, form):
    files = []
    for i in range(4):
        f = io.BytesIO(make_jpeg())
        f.name = f"{i}.jpg"
        files.append(f)
    assert refused(o311, form(media=files))[0].startswith("media:")


def test_a_file_that_is_not_a_photo_is_refused(o311, frozen_spring, form):
    fake = io.BytesIO(b"<?php system($_GET['c']); ?>")
    fake.name = "photo.jpg"
    assert refused(o311, form(media=fake))[0].startswith("media:")


def test_json_body_is_refused_with_a_clear_message(client, frozen_spring, form):
    response = client.post(f"{BASE}requests.json", form(), content_type="application/json")
    assert response.status_code == 400
    assert "x-www-form-urlencoded" in errors_of(response)[0]


def test_broken_multipart_body_is_400(client, frozen_spring):
    response = client.generic(
        "POST", f"{BASE}requests.xml", b"--xyz\r\nbroken", content_type="multipart/form-data; boundary=xyz"
    )
    assert response.status_code in (400, 403)
    assert errors_of(response)


def test_too_many_fields_is_400(client, frozen_spring, form):
    fields = form(**{f"f{i}": "x" for i in range(1000)})
    response = client.post(f"{BASE}requests.json", fields)
    assert response.status_code == 400
    assert errors_of(response)


def test_huge_body_is_400_not_500(client, frozen_spring, form):
    body = "&".join(f"{k}={v}" for k, v in form().items()) + "&description=" + "x" * (6 * 1024 * 1024)
    response = client.post(f"{BASE}requests.json", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_refused_post_leaves_the_key_unused(o311, frozen_spring, form):
    o311.post(**form(description=""))
    assert ApiKey.objects.get().last_used is None


def test_deadline_is_counted_from_the_local_day(o311, form):
    from zoneinfo import ZoneInfo

    from gorod.core import clock

    # 23:30 in Moscow on Friday 15 May is still Friday there, though UTC says 20:30 the same day.
    with clock.frozen(dt.datetime(2026, 5, 15, 23, 30, tzinfo=ZoneInfo("Europe/Moscow"))):
        item = created_of(o311.post(**form()))
    report = Report.objects.get(pk=item["service_request_id"])
    assert report.moderation_due == dt.date(2026, 5, 16)  # the moved working Saturday


def test_an_email_longer_than_the_form_allows_is_refused(o311, frozen_spring, form):
    response = o311.post(**form(email="a" * 283 + "@example.org"))  # 295 characters, as the outside test sent
    assert response.status_code == 400
    assert any(e.startswith("email:") and "254" in e for e in errors_of(response))
    assert not Report.objects.exists()
    assert o311.post(**form(email="a" * 242 + "@example.org")).status_code == 200  # 254 is fine


def test_every_format_parameter_is_an_enum_in_the_openapi_document(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    operations = [op for path in schema["paths"].values() for op in path.values()]
    formats = [p for op in operations for p in op["parameters"] if p["name"] == "fmt"]
    assert len(formats) == len(operations) == 8
    assert all(p["schema"].get("enum") == ["json", "xml"] for p in formats), formats[0]
