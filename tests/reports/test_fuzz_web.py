"""Property: whatever a browser (or an attacker) sends to the public pages, the answer is a page, a form
with messages or a 4xx — never a 500, and never a half-saved report."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gorod.reports.models import Photo, Report

pytestmark = pytest.mark.django_db

VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["", "0", "-1", "1e309", "nan", "inf", "59.9", "30.3", "2026-13-45", "<script>", "pothole"]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FORM_FIELDS = [
    "category", "lat", "lon", "address", "description", "name", "email", "phone", "show_name", "anonymous",
    "attribute[depth]", "attribute[size]", "attribute[hazards]", "attribute[noticed]",
]  # fmt: skip
FILTERS = ["category", "district", "status", "from", "to", "page", "bbox", "zoom"]


@FUZZ
@given(data=st.dictionaries(st.sampled_from(FORM_FIELDS), VALUES, max_size=len(FORM_FIELDS)))
def test_report_form_never_fails_on_any_input(client, frozen_spring, city, data):
    before = Report.objects.count(), Photo.objects.count()
    response = client.post("/reports/new/", data)
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert (Report.objects.count(), Photo.objects.count()) == before


@FUZZ
@given(
    path=st.sampled_from(
        ["/reports/", "/reports/map.json", "/reports/new/duplicates/", "/reports/new/attributes/"]
    ),
    query=st.dictionaries(st.sampled_from([*FILTERS, "lat", "lon"]), VALUES, max_size=6),
)
def test_listing_pages_never_fail_on_any_filter(client, city, path, query):
    response = client.get(path, query)
    assert response.status_code < 500, (path, query)
