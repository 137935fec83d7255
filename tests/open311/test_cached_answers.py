"""services.json and service definitions are kept ready per municipality and answered with ETag /
Last-Modified, so that polling clients get a 304 (issue 10); importing the city file changes them."""

from __future__ import annotations

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gorod.city.services import city_import_file
from tests.conftest import DATA
from tests.open311.conftest import BASE, JURISDICTION

pytestmark = pytest.mark.django_db

SERVICES = f"{BASE}services.json?jurisdiction_id={JURISDICTION}"


def test_services_carry_etag_and_last_modified_and_answer_304(client, city):
    first = client.get(SERVICES)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    assert "max-age" in first["Cache-Control"]
    assert "Accept-Language" in first["Vary"]

    again = client.get(SERVICES, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(SERVICES, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # A different answer (another language, the XML) has its own tag.
    english = client.get(SERVICES + "&locale=en", HTTP_IF_NONE_MATCH=etag)
    assert english.status_code == 200 and english["ETag"] != etag
    xml = client.get(f"{BASE}services.xml?jurisdiction_id={JURISDICTION}", HTTP_IF_NONE_MATCH=etag)
    assert xml.status_code == 200 and xml.content.startswith(b"<?xml")
    assert client.get(SERVICES, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_a_kept_answer_costs_one_query_at_most(client, city):
    client.get(SERVICES)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SERVICES).status_code == 200
        assert client.get(SERVICES, HTTP_IF_NONE_MATCH=client.get(SERVICES)["ETag"]).status_code == 304
    # municipalities() is cached per process too: nothing at all is read from the database.
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_importing_the_city_file_changes_the_answer(
    client, city, tmp_path, django_capture_on_commit_callbacks
):
    before = client.get(SERVICES)
    assert "новое название" not in before.content.decode()
    data = yaml.safe_load((DATA / "test_city.yaml").read_text())
    litter = next(c for c in data["categories"] if c["service_code"] == "litter")
    litter["name"] = "Мусор во дворе (новое название)"
    changed = tmp_path / "city.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True))
    with django_capture_on_commit_callbacks(execute=True):  # the caches are told after the commit
        city_import_file(changed)
    after = client.get(SERVICES, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Мусор во дворе (новое название)" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_service_definition_is_cached_and_conditional(client, city):
    url = f"{BASE}services/pothole.json?jurisdiction_id={JURISDICTION}"
    first = client.get(url)
    assert first.status_code == 200 and first.json()["service_code"] == "pothole"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    other = client.get(f"{BASE}services/litter.json?jurisdiction_id={JURISDICTION}")
    assert other["ETag"] != first["ETag"]
    missing = client.get(f"{BASE}services/nothing.json?jurisdiction_id={JURISDICTION}")
    assert missing.status_code == 404 and "ETag" not in missing


def test_request_lists_keep_names_until_an_import_and_learn_new_ones(
    o311, city, frozen_spring, file_report, django_capture_on_commit_callbacks, tmp_path
):
    from gorod.city.models import Department

    file_report()
    before = o311.get("requests", jurisdiction_id=JURISDICTION).json()
    assert before[0]["agency_responsible"] == "Дорожное управление"
    # A department added since the names were kept (the admin, say) is read at once when a row names it.
    new = Department.objects.create(municipality=city, slug="new", name="Новое управление")
    from gorod.reports.models import Report

    Report.objects.update(department=new)
    assert (
        o311.get("requests", jurisdiction_id=JURISDICTION).json()[0]["agency_responsible"]
        == "Новое управление"
    )
    # An import renames at once.
    Report.objects.update(department=Department.objects.get(slug="roads"))
    data = yaml.safe_load((DATA / "test_city.yaml").read_text())
    next(d for d in data["departments"] if d["slug"] == "roads")["name"] = "Комитет по дорогам"
    changed = tmp_path / "city.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True))
    with django_capture_on_commit_callbacks(execute=True):
        city_import_file(changed)
    assert (
        o311.get("requests", jurisdiction_id=JURISDICTION).json()[0]["agency_responsible"]
        == "Комитет по дорогам"
    )


def test_service_code_filters_use_the_kept_names_and_learn_new_codes(o311, city, frozen_spring, file_report):
    from gorod.city.models import Category

    file_report()
    assert len(o311.get("requests", jurisdiction_id=JURISDICTION, service_code="pothole").json()) == 1
    pothole = Category.objects.get(municipality=city, service_code="pothole")
    Category.objects.create(
        municipality=city, service_code="new-code", name="Новая", object_type=pothole.object_type
    )
    assert (
        o311.get("requests", jurisdiction_id=JURISDICTION, service_code="new-code,pothole").status_code == 200
    )
    unknown = o311.get("requests", jurisdiction_id=JURISDICTION, service_code="pothole,nothing")
    assert unknown.status_code == 400 and "nothing" in unknown.json()[0]["description"]


def test_requests_by_id_read_as_the_orm_does_with_three_queries(
    o311, city, frozen_spring, file_report, django_assert_num_queries
):
    from gorod.open311 import listing
    from gorod.reports.models import Report
    from gorod.reports.services import report_transition

    first, second = file_report(), file_report()
    report_transition(report=first, action="reject", public_note="Не наш вопрос")
    for fields in (listing._BASE_FIELDS, listing._BASE_FIELDS + listing._EXTENDED_FIELDS):
        ids = (first.pk, second.pk, 999_999)
        orm = list(Report.objects.filter(pk__in=ids).order_by("-created", "-id").values_list(*fields))
        assert listing._rows_by_ids(city, ids, fields) == orm  # compiled now
        assert listing._rows_by_ids(city, ids, fields) == orm  # and reused
    o311.get(f"requests/{first.pk}")
    # The report, its photos, its last public note: the names are kept, the query compiled.
    with django_assert_num_queries(3):
        answer = o311.get(f"requests/{second.pk}", jurisdiction_id=JURISDICTION)
    assert answer.json()[0]["service_request_id"] == second.pk
    closed = o311.get(f"requests/{first.pk}").json()[0]
    assert closed["status"] == "closed" and closed["status_notes"] == "Не наш вопрос"
