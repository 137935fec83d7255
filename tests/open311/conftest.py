"""Helpers for the Open311 contract tests: call an endpoint in both formats, read the XML back into the
structure the JSON carries, and build reports through the real services."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from defusedxml import ElementTree

from gorod.reports.models import Report

BASE = "/open311/v2/"
JURISDICTION = "testgrad.example"
# Elements whose children are the items of a list (the JSON arrays).
LIST_TAGS = {
    "services",
    "service_requests",
    "service_requests_updates",
    "errors",
    "attributes",
    "values",
    "endpoints",
    "formats",
    "media_urls",
}


def xml_data(body: bytes):
    """The XML body as the Python structure its JSON twin decodes to (scalars as text)."""
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return _from_element(ElementTree.fromstring(body))


def _from_element(element):
    if element.tag in LIST_TAGS:
        return [_from_element(child) for child in element]
    if len(element):
        return {child.tag: _from_element(child) for child in element}
    return element.text


def as_text(value):
    """A JSON value as XML carries it: every scalar as its text, empty as None."""
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


class Open311Client:
    def __init__(self, client):
        self.client = client

    def get(self, path: str, fmt: str = "json", **params):
        return self.client.get(f"{BASE}{path}.{fmt}", params)

    def post(self, fmt: str = "json", **fields):
        return self.client.post(f"{BASE}requests.{fmt}", fields)

    def both(self, path: str, expect: int = 200, **params):
        """GET in JSON and XML, check both answer `expect` with the same content; return the JSON."""
        as_json = self.get(path, "json", **params)
        as_xml = self.get(path, "xml", **params)
        assert as_json.status_code == expect, as_json.content[:500]
        assert as_xml.status_code == expect, as_xml.content[:500]
        assert as_json["Content-Type"] == "application/json; charset=utf-8"
        assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
        data = json.loads(as_json.content)
        assert as_text(data) == xml_data(as_xml.content)
        return data


@pytest.fixture
def o311(client):
    return Open311Client(client)


@pytest.fixture
def api_key(db):
    from gorod.open311.services import api_key_create

    return api_key_create(name="Test client")[1]


@pytest.fixture
def form(city, api_key):
    """A valid POST body for a pothole in the north district; override by keyword."""

    def build(**overrides):
        fields = {
            "api_key": api_key,
            "jurisdiction_id": JURISDICTION,
            "service_code": "pothole",
            "lat": "60.0",
            "long": "30.3",
            "description": "Яма на проезжей части",
            "attribute[depth]": "12",
            "email": "citizen@example.org",
            "first_name": "Мария",
            "last_name": "Иванова",
            "phone": "+7 900 123-45-67",
        }
        fields.update(overrides)
        return {k: v for k, v in fields.items() if v is not None}

    return build


def errors_of(response) -> list[str]:
    """The descriptions of an Open311 errors body, in either format."""
    if response["Content-Type"].startswith("text/xml"):
        items = xml_data(response.content)
        assert all(i["code"] == str(response.status_code) for i in items)
    else:
        items = json.loads(response.content)
        assert all(i["code"] == response.status_code for i in items)
    assert items, "an error response lists at least one error"
    return [i["description"] for i in items]


def copies_of(report: Report, count: int, *, start: dt.datetime, step: dt.timedelta) -> list[Report]:
    """`count` copies of a report filed through the service, created at start, start+step, …

    For volume only (the 1000-row default, paging): building a thousand reports through report_create
    would test nothing more and take seconds."""
    fields = {
        f.attname: getattr(report, f.attname)
        for f in Report._meta.concrete_fields
        if f.attname not in {"id", "token", "created", "updated"}
    }
    rows = [
        Report(**fields, token=uuid.uuid4(), created=start + i * step, updated=start + i * step)
        for i in range(count)
    ]
    return Report.objects.bulk_create(rows, batch_size=500)


@pytest.fixture
def second_city(city):
    """Another municipality served by the same installation: a copy of the test city whose pothole
    service is called `pit`."""
    from gorod.city.services import city_import, parse_city_file
    from tests.conftest import DATA

    text = (DATA / "test_city.yaml").read_text(encoding="utf-8")
    text = text.replace("slug: testgrad", "slug: othergrad").replace(JURISDICTION, "other.example")
    text = text.replace("service_code: pothole", "service_code: pit").replace(
        "category: pothole", "category: pit"
    )
    return city_import(parse_city_file(text))
