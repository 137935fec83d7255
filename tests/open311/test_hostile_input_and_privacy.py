"""Hostile text stays text in both formats; personal data never leaves through the open API."""

from __future__ import annotations

import json

import pytest

from gorod.reports.services import report_transition
from tests.open311.conftest import BASE, xml_data

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<script>alert("x")</script> <img src=x " onerror=alert(1)> & ]]> \x01\x07\x1b\ufffe\u2028 end\r\nline'
)
# What survives: everything but the characters XML 1.0 cannot carry at all.
SURVIVES = '<script>alert("x")</script> <img src=x " onerror=alert(1)> & ]]> \u2028 end\r\nline'


@pytest.fixture
def hostile_report(frozen_spring, file_report):
    report = file_report(description=HOSTILE, address="<b>Невский</b> & Co")
    report_transition(report=report, action="accept", public_note="</status_notes><evil/>")
    return report


def test_hostile_text_is_escaped_in_xml(client, hostile_report):
    for path in ("requests.xml", f"requests/{hostile_report.pk}.xml", "servicerequestupdates.xml"):
        body = client.get(BASE + path).content
        assert b"<script>" not in body and b"<img" not in body and b"<evil/>" not in body
        assert b"\x01" not in body and b"\x1b" not in body
        xml_data(body)  # still well-formed


def test_hostile_text_survives_as_the_same_text_in_both_formats(o311, hostile_report):
    (item,) = o311.both(f"requests/{hostile_report.pk}")
    assert item["description"] == SURVIVES.strip()
    assert item["address"] == "<b>Невский</b> & Co"
    assert item["status_notes"] == "</status_notes><evil/>"


def test_json_has_no_raw_angle_brackets_or_ampersands(client, hostile_report):
    body = client.get(f"{BASE}requests.json").content.decode()
    assert "<" not in body and ">" not in body and "&" not in body
    assert "\u2028" not in body
    assert json.loads(body)[0]["description"] == SURVIVES.strip()


def test_hostile_attribute_values_are_escaped(o311, frozen_spring, file_report):
    file_report(attributes={"depth": "3", "lane": "<script>x</script>", "details": "a & b"})
    (item,) = o311.both("requests", extensions="true")
    values = {a["code"]: a["values"] for a in item["extended_attributes"]["attributes"]}
    assert values["lane"] == ["<script>x</script>"]


def test_hostile_jurisdiction_is_echoed_only_as_text(client, city):
    response = client.get(f"{BASE}services.xml", {"jurisdiction_id": "<x>&</x>"})
    assert response.status_code == 404
    assert b"<x>" not in response.content
    description = xml_data(response.content)[0]["description"]
    assert description.startswith("jurisdiction_id:") and "<x>&</x>" in description


CONTACT = {"email": "secret.person@example.org", "first_name": "Секретный", "last_name": "Гражданин"}


def test_contact_details_are_absent_from_every_response(client, o311, frozen_spring, form):
    created = o311.post(**form(phone="+7 999 000-11-22", **CONTACT))
    assert created.status_code == 200
    pk = json.loads(created.content)[0]["service_request_id"]
    from gorod.reports.models import Report

    report = Report.objects.get(pk=pk)
    Report.objects.filter(pk=pk).update(show_name=True)  # even a public name stays out of Open311
    report_transition(report=report, action="accept", public_note="ok")
    bodies = [created.content]
    for fmt in ("json", "xml"):
        for path in ("requests", f"requests/{pk}", "servicerequestupdates", f"tokens/{report.token}"):
            response = client.get(f"{BASE}{path}.{fmt}", {"extensions": "true"} if "requests" in path else {})
            assert response.status_code == 200
            bodies.append(response.content)
    for body in bodies:
        text = body.decode()
        # The whole phone, not a fragment: "999" alone can turn up in a random token.
        for secret in ("secret.person", "Секретный", "Гражданин", "000-11-22", "example.org"):
            assert secret not in text


@pytest.mark.parametrize(
    "params",
    [
        {"jurisdiction_id": "x" * 100_000},
        {"service_code": "a" * 100_000},
        {"service_request_id": "1," * 5000},
        {"bbox": "1" * 10_000},
        {"lat": "6" * 10_000, "long": "3", "radius": "1"},
        {"locale": "e" * 10_000},
        {"status": "\x00"},
        {"start_date": "2026-05-01\x00"},
        {"page": "\u0661"},
    ],
)
def test_huge_or_strange_query_values_never_cause_a_500(client, city, params):
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}requests.{fmt}", params)
        assert response.status_code in (200, 400, 404), (params, response.status_code)
