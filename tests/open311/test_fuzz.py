"""Property: whatever the query or the form, the API answers with content or an Open311 error, never a
500 and never a framework error page."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.open311.conftest import BASE, errors_of

pytestmark = pytest.mark.django_db

PARAMS = [
    "jurisdiction_id",
    "locale",
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
]
# Plausible-looking values mixed with hostile ones.
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "1e309", "nan", "30,59,31,60", "2026-05-01", "open,closed", "pothole"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
PATHS = st.sampled_from(
    [
        "requests",
        "requests/1",
        "services",
        "services/pothole",
        "servicerequestupdates",
        "tokens/x",
        "discovery",
    ]
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _is_open311_answer(response) -> None:
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert errors_of(response)
    elif response["Content-Type"].startswith("application/json"):
        json.loads(response.content)


@FUZZ
@given(
    path=PATHS, fmt=st.sampled_from(["json", "xml"]), query=st.dictionaries(st.sampled_from(PARAMS), VALUES)
)
def test_any_query_gets_content_or_an_error_list(client, city, path, fmt, query):
    _is_open311_answer(client.get(f"{BASE}{path}.{fmt}", query))


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "service_code",
                "lat",
                "long",
                "address_string",
                "address_id",
                "description",
                "email",
                "first_name",
                "phone",
                "attribute[depth]",
                "attribute[size]",
                "attribute[hazards][]",
                "attribute[noticed]",
                "attribute[x",
                "jurisdiction_id",
            ]
        ),
        VALUES,
    )
)
def test_any_form_gets_a_request_or_an_error_list(client, city, api_key, fields):
    _is_open311_answer(client.post(f"{BASE}requests.json", {"api_key": api_key, **fields}))
