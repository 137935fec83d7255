"""Outbound Open311 against a small local GeoReport v2 server: the POST on acceptance with FixMyStreet-style
send state, then polling servicerequestupdates and applying them through the workflow."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from gorod.city.models import Department
from gorod.core import clock
from gorod.notifications import open311_out
from gorod.notifications.models import Delivery, InboundUpdate, Open311Endpoint, OutboundSend
from gorod.reports.models import Report
from gorod.reports.services import report_transition

pytestmark = pytest.mark.django_db


class ExternalSystem:
    """The department's system: takes requests, serves the updates it was told to serve."""

    def __init__(self, sink):
        self.posted: list[dict] = []
        self.updates: list[dict] = []
        self.queries: list[dict] = []
        self.post_status = 201
        sink.routes["/v2/requests.json"] = self.requests
        sink.routes["/v2/servicerequestupdates.json"] = self.serve_updates

    def requests(self, hit):
        fields = {k: v[0] for k, v in parse_qs(hit.body.decode()).items()}
        self.posted.append(fields | {"_key": hit.headers.get("Idempotency-Key")})
        if self.post_status >= 400:
            return self.post_status, json.dumps([{"code": 400, "description": "bad service_code"}]).encode()
        return self.post_status, json.dumps([{"service_request_id": f"EXT-{len(self.posted)}"}]).encode()

    def serve_updates(self, hit):
        self.queries.append({k: v[0] for k, v in parse_qs(urlsplit(hit.path).query).items()})
        return 200, json.dumps(self.updates).encode()


@pytest.fixture
def external(http_sink):
    return ExternalSystem(http_sink)


@pytest.fixture
def endpoint(city, http_sink, external):
    return Open311Endpoint.objects.create(
        department=Department.objects.get(municipality=city, slug="roads"),
        base_url=http_sink.url + "/v2/",
        api_key="ext-secret-key",
        jurisdiction_id="roads.example",
        service_codes={"pothole": "ROAD-HOLE"},
    )


@pytest.fixture
def sent_report(endpoint, file_report, deliver, external):
    report = file_report(description="Яма у дома 5", address="Невский, 5")
    report_transition(report=report, action="accept")
    deliver()
    return Report.objects.get(pk=report.pk)


def test_acceptance_posts_the_request_and_records_the_external_id(sent_report, external, endpoint):
    (posted,) = external.posted
    assert posted["service_code"] == "ROAD-HOLE" and posted["api_key"] == "ext-secret-key"
    assert posted["jurisdiction_id"] == "roads.example" and posted["description"] == "Яма у дома 5"
    assert posted["lat"] == "60.000000" and posted["long"] == "30.300000"
    assert "email" not in posted and "first_name" not in posted  # the citizen's contacts stay here
    send = OutboundSend.objects.get(report=sent_report)
    assert (send.state, send.external_id, send.send_fail_count) == ("sent", "EXT-1", 0)
    assert send.sent_at is not None
    assert posted["_key"] == Delivery.objects.get(channel="open311").key
    # The API key is not in the outbox payload.
    assert "ext-secret-key" not in Delivery.objects.get(channel="open311").payload


def test_a_report_of_another_department_is_not_sent(endpoint, file_report, categories, external, deliver):
    report = file_report(category=categories["litter"], attributes={})  # the yards department
    report_transition(report=report, action="accept")
    deliver()
    assert external.posted == [] and not OutboundSend.objects.exists()


def test_a_refused_post_is_failed_with_the_reason(endpoint, file_report, external, deliver):
    external.post_status = 400
    report = file_report()
    report_transition(report=report, action="accept")
    deliver()
    send = OutboundSend.objects.get(report=report)
    assert (send.state, send.send_fail_count, send.send_fail_reason) == ("failed", 1, "HTTP 400")
    assert Delivery.objects.get(channel="open311").state == "dead"


def test_a_server_error_counts_a_failure_and_is_retried(endpoint, file_report, external, deliver, http_sink):
    http_sink.routes.pop("/v2/requests.json")
    http_sink.responses.append((500, b"", 0))
    report = file_report()
    report_transition(report=report, action="accept")
    deliver()
    send = OutboundSend.objects.get(report=report)
    assert (send.state, send.send_fail_count, send.send_fail_reason) == ("unsent", 1, "HTTP 500")
    http_sink.routes["/v2/requests.json"] = external.requests
    delivery = Delivery.objects.get(channel="open311")
    deliver(delivery.next_attempt_at)
    send.refresh_from_db()
    assert send.state == "sent" and send.external_id == "EXT-1"


def _update(uid, status, description="", srid="EXT-1"):
    return {"update_id": uid, "service_request_id": srid, "status": status,
            "updated_datetime": "2026-05-14T10:00:00+03:00", "description": description}  # fmt: skip


def test_polled_updates_move_the_report_through_the_workflow(
    sent_report, endpoint, external, mailoutbox, deliver
):
    external.updates = [
        _update("u1", "in_progress"),
        _update("u2", "closed", "Заделали асфальтом"),
        _update("u3", "open"),  # the workflow does not reopen a resolved report from outside
        _update("u4", "not_councils_responsibility"),
        _update("u5", "closed", srid="EXT-999"),
    ]
    assert open311_out.poll(endpoint) == 2
    report = Report.objects.get(pk=sent_report.pk)
    assert report.status == "resolved" and report.status_reason == "Заделали асфальтом"
    outcome = {u.update_id: (u.applied, u.reason) for u in InboundUpdate.objects.all()}
    assert outcome["u1"] == (True, "start") and outcome["u2"] == (True, "resolve")
    assert outcome["u3"][0] is False and "resolved" in outcome["u3"][1]
    assert outcome["u4"] == (False, "status “not_councils_responsibility” is not mapped")
    assert outcome["u5"] == (False, "unknown service_request_id")
    query = external.queries[0]
    assert query["api_key"] == "ext-secret-key" and "start_date" in query and "end_date" in query
    endpoint.refresh_from_db()
    assert endpoint.polled_until is not None and endpoint.last_poll_error == ""
    # The same updates again (the windows overlap): nothing is applied twice.
    assert open311_out.poll(endpoint) == 0
    assert report.events.filter(action="resolve").count() == 1
    deliver()
    assert any("Заделали асфальтом" in m.body for m in mailoutbox)  # the author hears of it


def test_the_next_poll_starts_where_the_last_ended(sent_report, endpoint, external):
    first = dt.datetime(2026, 5, 14, 10, 0, tzinfo=dt.UTC)
    open311_out.poll(endpoint, now=first)
    endpoint.refresh_from_db()
    open311_out.poll(endpoint, now=first + dt.timedelta(minutes=5))
    second = external.queries[1]
    assert dt.datetime.fromisoformat(second["start_date"]) == first - open311_out.POLL_OVERLAP


def test_a_broken_answer_is_recorded_and_nothing_moves(sent_report, endpoint, http_sink):
    http_sink.routes["/v2/servicerequestupdates.json"] = lambda hit: (200, b"<html>not json")
    assert open311_out.poll(endpoint) == 0
    endpoint.refresh_from_db()
    assert endpoint.last_poll_error == "answer is not JSON" and endpoint.polled_until is None
    http_sink.routes["/v2/servicerequestupdates.json"] = lambda hit: (500, b"")
    open311_out.poll(endpoint)
    endpoint.refresh_from_db()
    assert endpoint.last_poll_error == "HTTP 500"


def test_updates_of_a_moderated_category_are_held_for_moderation(
    city, http_sink, external, file_report, categories, deliver
):
    Open311Endpoint.objects.create(
        department=Department.objects.get(municipality=city, slug="yards"), base_url=http_sink.url + "/v2"
    )
    report = file_report(category=categories["litter"], attributes={})
    report_transition(report=report, action="accept")
    deliver()
    external.updates = [_update("x1", "fixed", "Убрали")]
    with clock.frozen(clock.now()):
        assert open311_out.poll_all() == 1
    event = report.events.get(action="resolve")
    assert event.note_state == "pending"


def test_poll_all_task_runs(sent_report, external):
    from gorod.notifications import tasks

    external.updates = [_update("t1", "closed", "ok")]
    assert tasks.poll_open311.call() == 1


# --- issue 9, item 14: re-sends after a worker crash carry the same key and are counted ------------------
def test_a_resend_after_a_crash_carries_the_same_key_and_is_counted(
    endpoint, file_report, external, deliver, monkeypatch
):
    from gorod.core import counters
    from gorod.notifications import delivery as worker

    report = file_report()
    report_transition(report=report, action="accept")
    # The worker dies right after the POST, before it can record the answer: the lease keeps the row.
    monkeypatch.setattr(worker, "_mark_sent", lambda *args, **kwargs: False)
    deliver()
    monkeypatch.undo()
    assert len(external.posted) == 1 and counters.value(open311_out.RESENDS) == 0
    row = Delivery.objects.get(channel="open311")
    assert row.state == "pending" and row.attempts == 1
    deliver(row.next_attempt_at)  # the lease has ended: another worker takes it again
    first, second = external.posted
    assert first["_key"] == second["_key"] == row.key and len(row.key) == 64
    assert counters.value(open311_out.RESENDS) == 1
    send = OutboundSend.objects.get(report=report)
    assert send.state == "sent" and send.external_id == "EXT-2"


def test_a_retry_after_a_recorded_failure_is_not_counted_as_a_resend(
    endpoint, file_report, external, deliver, http_sink
):
    from gorod.core import counters

    http_sink.routes.pop("/v2/requests.json")
    http_sink.responses.append((500, b"", 0))
    report = file_report()
    report_transition(report=report, action="accept")
    deliver()
    http_sink.routes["/v2/requests.json"] = external.requests
    deliver(Delivery.objects.get(channel="open311").next_attempt_at)
    assert OutboundSend.objects.get(report=report).state == "sent"
    assert counters.value(open311_out.RESENDS) == 0
