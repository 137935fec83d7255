"""The renderers on their own, and the OpenAPI document that describes the endpoints."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gorod.open311.render import clean_text, to_json, to_xml, w3c
from tests.open311.conftest import as_text, xml_data


def test_xml_and_json_carry_the_same_nested_structure():
    data = [
        {
            "service_request_id": 7,
            "lat": 59.93863,
            "flag": True,
            "off": False,
            "empty": None,
            "extended_attributes": {"media_urls": ["http://x/1.jpg", "http://x/2.jpg"], "attributes": []},
        }
    ]
    body = to_xml("service_requests", data)
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<service_requests><request>')
    assert b"<media_urls><media_url>http://x/1.jpg</media_url>" in body
    assert b"<empty/>" in body and b"<flag>true</flag>" in body
    assert xml_data(body) == as_text(json.loads(to_json(data)))


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '" onerror="alert(1)',
        "a & b ]]> c",
        "line\r\nbreak\ttab",
        "emoji 🕳️ and кириллица",
    ],
)
def test_text_round_trips_through_both_formats(text):
    data = [{"description": text}]
    assert xml_data(to_xml("service_requests", data))[0]["description"] == text
    assert json.loads(to_json(data))[0]["description"] == text


def test_json_escapes_html_significant_characters():
    body = to_json([{"d": "<b>&</b>\u2028"}]).decode()
    assert body == '[{"d":"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\\u2028"}]'


def _stdlib_json(data: object) -> bytes:
    """What to_json wrote before it used orjson: the standard library, then the same escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in ("&", "<", ">", "\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text.encode()


_SCALARS = (
    st.text(st.characters(blacklist_categories=("Cs",)))
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.booleans()
    | st.none()
)
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(_TREES)
def test_json_is_byte_for_byte_what_the_standard_library_wrote(data):
    assert to_json(data) == _stdlib_json(data)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_json_numbers_read_back_as_the_same_float(number):
    # orjson may spell an exponent differently from Python's repr (1e16 for 1e+16): the value is the same.
    assert json.loads(to_json([{"lat": number}])) == [{"lat": number}]


def test_json_that_orjson_refuses_is_still_written():
    # A lone surrogate (from a client's malformed text) and an integer past 64 bits.
    assert json.loads(to_json([{"d": "a\udc80b", "n": 2**70}])) == [{"d": "a?b", "n": 2**70}]


def test_characters_xml_cannot_hold_are_dropped_from_user_text():
    assert clean_text("a\x00b\x08c\x0bd\x1fe\ufffff\ud800g") == "abcdefg"
    assert clean_text("tab\tnew\nline\r") == "tab\tnew\nline\r"
    assert clean_text(None) is None


def test_w3c_datetimes_carry_the_offset_and_whole_seconds():
    moment = dt.datetime(2026, 5, 13, 7, 0, 0, 123456, tzinfo=dt.UTC)
    assert w3c(moment, ZoneInfo("Europe/Moscow")) == "2026-05-13T10:00:00+03:00"
    assert w3c(moment, dt.UTC) == "2026-05-13T07:00:00+00:00"
    assert w3c(None, dt.UTC) is None


def test_openapi_describes_every_endpoint_with_its_parameters(client, db):  # db: examples of the city shown
    schema = json.loads(client.get("/api/openapi.json").content)
    paths = schema["paths"]
    base = "/open311/v2/"
    expected = {
        "discovery.{fmt}": {"get"},
        "services.{fmt}": {"get"},
        "services/{service_code}.{fmt}": {"get"},
        "requests.{fmt}": {"get", "post"},
        "requests/{service_request_id}.{fmt}": {"get"},
        "tokens/{token}.{fmt}": {"get"},
        "servicerequestupdates.{fmt}": {"get"},
    }
    assert {p[len(base) :]: set(ops) for p, ops in paths.items() if p.startswith(base)} == expected
    get_requests = paths[base + "requests.{fmt}"]["get"]
    names = {p["name"] for p in get_requests["parameters"]}
    assert names >= {
        "fmt",
        "jurisdiction_id",
        "service_request_id",
        "service_code",
        "start_date",
        "end_date",
        "status",
        "page",
        "page_size",
        "bbox",
        "lat",
        "long",
        "radius",
        "extensions",
    }
    assert set(get_requests["responses"]) >= {"200", "400", "404"}
    post = paths[base + "requests.{fmt}"]["post"]
    form = post["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert {
        "api_key",
        "service_code",
        "lat",
        "long",
        "address_string",
        "media_url",
        "attribute[code]",
    } <= set(form)
    multipart = post["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert multipart["media"]["items"]["format"] == "binary"
    assert "403" in post["responses"]


def test_api_docs_page_is_served(client):
    assert client.get("/api/docs").status_code == 200


def test_xml_stays_well_formed_whatever_text_reaches_it():
    body = to_xml("services", [{"service_name": "a\x01b\x1f\ufffec\uffffd\ud800e"}])
    # Control characters and non-characters go; a lone surrogate cannot be encoded and becomes "?".
    assert xml_data(body)[0]["service_name"] == "abcd?e"


@pytest.mark.django_db
def test_api_docs_are_served_from_our_own_static_files(client):
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
