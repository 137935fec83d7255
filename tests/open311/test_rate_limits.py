"""POST requests are limited per API key and per client, and refused in the spec's errors list with 429
and Retry-After; nothing beyond the limit is saved."""

from __future__ import annotations

import pytest

from gorod.open311.services import api_key_create
from gorod.reports.models import Report
from tests.open311.conftest import BASE, errors_of

pytestmark = pytest.mark.django_db
URL = f"{BASE}requests.json"


def test_a_burst_of_200_posts_stops_at_the_limit(client, write_limits, frozen_spring, form):
    write_limits.GOROD_RATE_LIMITS = {"open311_key": "25/10m", "open311_client": "25/10m"}
    answers = [client.post(URL, form()) for _ in range(200)]
    assert [a.status_code for a in answers[:25]] == [200] * 25
    refused = answers[25:]
    assert {a.status_code for a in refused} == {429}
    assert all(0 < int(a["Retry-After"]) <= 600 for a in refused)
    assert "Retry-After" in errors_of(refused[-1])[0]
    assert Report.objects.count() == 25


def test_the_refusal_is_an_xml_errors_list_for_xml(client, write_limits, frozen_spring, form):
    write_limits.GOROD_RATE_LIMITS = {"open311_client": "1/10m"}
    client.post(URL, form())
    refused = client.post(f"{BASE}requests.xml", form())
    assert refused.status_code == 429 and refused["Retry-After"]
    assert errors_of(refused)


def test_one_key_is_limited_across_clients(client, write_limits, frozen_spring, form):
    write_limits.GOROD_RATE_LIMITS = {"open311_key": "3/10m", "open311_client": "100/10m"}
    codes = [client.post(URL, form(), REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(1, 5)]
    assert codes == [200, 200, 200, 429]
    _, other_key = api_key_create(name="Another app")
    assert client.post(URL, form(api_key=other_key), REMOTE_ADDR="192.0.2.9").status_code == 200


def test_one_client_is_limited_across_keys_and_bad_keys_count(client, write_limits, frozen_spring, form):
    write_limits.GOROD_RATE_LIMITS = {"open311_key": "100/10m", "open311_client": "3/10m"}
    assert client.post(URL, form(api_key="guess-1")).status_code == 403
    assert client.post(URL, form(api_key="guess-2")).status_code == 403
    assert client.post(URL, form()).status_code == 200
    _, other_key = api_key_create(name="Another app")
    assert client.post(URL, form(api_key=other_key)).status_code == 429
    assert Report.objects.count() == 1


def test_reads_are_not_limited(client, write_limits, city):
    write_limits.GOROD_RATE_LIMITS = {"open311_key": "1/10m", "open311_client": "1/10m"}
    assert {client.get(f"{BASE}services.json").status_code for _ in range(5)} == {200}
