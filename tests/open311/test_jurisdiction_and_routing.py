"""jurisdiction_id, format suffixes, unknown resources and HTTP methods: always the spec's errors list."""

from __future__ import annotations

import json

import pytest

from tests.open311.conftest import BASE, JURISDICTION, errors_of

pytestmark = pytest.mark.django_db

GET_RESOURCES = ["services", "services/pothole", "requests", "requests/1", "servicerequestupdates"]


@pytest.mark.parametrize("path", GET_RESOURCES)
def test_jurisdiction_id_is_optional_with_one_municipality(o311, city, path):
    expected = 404 if path == "requests/1" else 200  # no request 1 yet, but the jurisdiction was fine
    assert o311.get(path).status_code == expected


@pytest.mark.parametrize("path", [*GET_RESOURCES, "tokens/3f1c2d5e-0000-4000-8000-000000000000"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_jurisdiction_is_404(o311, city, path, fmt):
    response = o311.get(path, fmt, jurisdiction_id="nowhere.example", locale="en")
    assert response.status_code == 404
    assert errors_of(response) == ["jurisdiction_id: “nowhere.example” is not served here."]


@pytest.mark.parametrize("path", GET_RESOURCES)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_jurisdiction_with_several_municipalities_is_400(o311, second_city, path, fmt):
    response = o311.get(path, fmt, locale="en")
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("jurisdiction_id is required")


def test_missing_jurisdiction_on_post_with_several_municipalities_is_400(o311, second_city, form):
    response = o311.post(**form(jurisdiction_id=None))
    assert response.status_code == 400
    assert "jurisdiction_id" in errors_of(response)[0]


def test_unknown_jurisdiction_on_post_is_404(o311, city, form):
    response = o311.post(**form(jurisdiction_id="nowhere.example"))
    assert response.status_code == 404


def test_each_municipality_sees_only_its_own_requests(o311, second_city, form):
    mine = json.loads(o311.post(**form()).content)[0]["service_request_id"]
    theirs = o311.post(**form(jurisdiction_id="other.example", service_code="pit"))
    theirs_id = json.loads(theirs.content)[0]["service_request_id"]
    listed = o311.both("requests", jurisdiction_id=JURISDICTION)
    assert [r["service_request_id"] for r in listed] == [mine]
    assert o311.get(f"requests/{theirs_id}", jurisdiction_id=JURISDICTION).status_code == 404
    both = o311.both("requests", jurisdiction_id="other.example", service_request_id=f"{mine},{theirs_id}")
    assert [r["service_request_id"] for r in both] == [theirs_id]


@pytest.mark.parametrize("suffix", ["yaml", "html", "JSON", "json%00", "x" * 300])
def test_bad_format_suffix_is_400_in_json(client, city, suffix):
    for path in ("services", "requests", "services/pothole", "requests/1", "discovery"):
        response = client.get(f"{BASE}{path}.{suffix}")
        assert response.status_code == 400, path
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert errors_of(response)[0].startswith("format:")


def test_bad_format_suffix_on_post_is_400(client, city, form):
    response = client.post(f"{BASE}requests.txt", form())
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["nothing.json", "services", "requests/", "request/1.json", "tokens.xml"])
def test_unknown_resource_is_404_with_an_error_list(client, city, path):
    response = client.get(BASE + path)
    assert response.status_code == 404
    assert errors_of(response)


def test_unknown_resource_answers_xml_when_asked_in_xml(client, city):
    response = client.get(BASE + "nothing.xml")
    assert response["Content-Type"].startswith("text/xml")
    assert errors_of(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "requests.json"),
        ("put", "requests.xml"),
        ("post", "services.json"),
        ("post", "services/pothole.xml"),
        ("patch", "requests/1.json"),
        ("post", "tokens/abc.json"),
        ("post", "discovery.json"),
        ("delete", "servicerequestupdates.json"),
    ],
)
def test_wrong_method_is_405_with_an_error_list(client, city, method, path):
    response = getattr(client, method)(BASE + path)
    assert response.status_code == 405
    assert "Allow" in response
    assert method.upper() in errors_of(response)[0]


def test_error_descriptions_follow_the_locale(o311, city):
    response = o311.get("requests", status="pending", locale="en")
    assert errors_of(response) == ["status: use open, closed, or both separated by a comma."]


def test_post_may_name_the_jurisdiction_in_the_url(client, second_city, form):
    fields = form(jurisdiction_id=None, service_code="pit")
    response = client.post(f"{BASE}requests.json?jurisdiction_id=other.example", fields)
    assert response.status_code == 200, response.content
