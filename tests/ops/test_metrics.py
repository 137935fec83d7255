"""/metrics: protected (404 unless configured, 403 without the token or from another address), in
Prometheus' text format, with latency by view (never by path), the outbox, the worker's heartbeat,
reports filed by municipality and core.counters — figures read from the database at scrape time."""

from __future__ import annotations

import datetime as dt

import pytest
from prometheus_client.parser import text_string_to_metric_families

from gorod.core import clock, counters, heartbeat
from gorod.notifications.models import Channel, Delivery

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-123"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
AT = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)


def samples(response) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def test_metrics_do_not_exist_until_configured(client, settings):
    settings.GOROD_METRICS_TOKEN = ""
    settings.GOROD_METRICS_ALLOWED_IPS = []
    assert client.get("/metrics", **AUTH).status_code == 404


def test_a_scrape_without_the_right_token_is_refused(client, settings):
    settings.GOROD_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 403  # no scheme
    assert client.post("/metrics", **AUTH).status_code == 405
    assert client.get("/metrics", **AUTH).status_code == 200


def test_an_address_list_allows_only_its_addresses(client, settings):
    settings.GOROD_METRICS_ALLOWED_IPS = ["10.0.0.0/8", "not-an-address", "::1"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1").status_code == 403
    settings.GOROD_METRICS_TOKEN = TOKEN  # with both set, both must pass
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3", **AUTH).status_code == 200


def test_the_figures_come_from_the_database(client, settings, city, file_report):
    settings.GOROD_METRICS_TOKEN = TOKEN
    with clock.frozen(AT):
        report = file_report()
        file_report()
        for n, state in enumerate(["pending", "pending", "dead", "sent"]):
            Delivery.objects.create(
                channel=Channel.WEBHOOK, municipality=city, key=f"k{n}".ljust(64, "x"), kind="webhook",
                report=report, payload="{}", state=state,
            )  # fmt: skip
        heartbeat.beat("worker@host:1")
    counters.add("retention.contacts_purged", 7)
    with clock.frozen(AT + dt.timedelta(seconds=42)):
        found = samples(client.get("/metrics", **AUTH))
    assert found[("gorod_outbox_backlog", (("channel", "webhook"),))] >= 2
    assert found[("gorod_outbox_oldest_undelivered_age_seconds", ())] >= 42
    assert found[("gorod_outbox_dead_letters", (("channel", "webhook"),))] == 1
    assert found[("gorod_worker_heartbeat_age_seconds", ())] == 42
    assert found[("gorod_workers_alive", ())] == 1
    assert found[("gorod_reports_filed_total", (("municipality", city.slug),))] == 2
    assert found[("gorod_counter_total", (("name", "retention.contacts_purged"),))] == 7


def test_latency_is_labelled_by_view_never_by_path_or_query(client, settings, city, file_report):
    settings.GOROD_METRICS_TOKEN = TOKEN
    report = file_report()
    key = (
        "gorod_request_duration_seconds_count",
        (("method", "GET"), ("status", "2xx"), ("view", "report-detail")),
    )
    # The histogram lives as long as the process: compare before and after, whatever ran earlier.
    before = samples(client.get("/metrics", **AUTH)).get(key, 0)
    client.get(f"/reports/{report.pk}/?email=ivan@example.org")
    client.get("/no-such-page/ivan@example.org")
    response = client.get("/metrics", **AUTH)
    text = response.content.decode()
    assert "ivan@example.org" not in text and f"/reports/{report.pk}/" not in text
    found = samples(response)
    views = {dict(labels).get("view") for name, labels in found if name.startswith("gorod_request_duration")}
    assert {"report-detail", "<unresolved>"} <= views
    assert found[key] == before + 1
