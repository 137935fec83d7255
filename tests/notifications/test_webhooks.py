"""Signed webhooks against a real local HTTP server: verifiable signature, no personal data, retries on
500 and timeouts, and the request that caused them never waits for the integrator."""

from __future__ import annotations

import json

import pytest

from gorod.core import clock
from gorod.notifications import http, webhooks
from gorod.notifications.models import Delivery, WebhookEndpoint
from gorod.reports.services import report_transition
from tests.helpers import fan_out

pytestmark = pytest.mark.django_db
SECRET = "whsec_test_0123456789"


@pytest.fixture
def endpoint(city, http_sink):
    return WebhookEndpoint.objects.create(
        municipality=city, name="Integrator", url=http_sink.url + "/hook", secret=SECRET
    )


def _deliver_at(deliver, delivery):
    delivery.refresh_from_db()
    return deliver(delivery.next_attempt_at)


def test_each_event_is_posted_signed_with_an_idempotency_key_and_no_personal_data(
    endpoint, file_report, http_sink, deliver
):
    report = file_report(contact_name="Иван Петров", contact_phone="+79990001122")
    delivery = Delivery.objects.get(channel="webhook")
    deliver()
    (hit,) = http_sink.hits
    assert hit.path == "/hook" and hit.headers["Content-Type"] == "application/json"
    assert hit.headers["Idempotency-Key"] == delivery.key
    assert webhooks.verify(SECRET, hit.body, hit.headers["X-Gorod-Signature"])
    assert not webhooks.verify("wrong-secret", hit.body, hit.headers["X-Gorod-Signature"])
    assert not webhooks.verify(SECRET, hit.body + b" ", hit.headers["X-Gorod-Signature"])
    data = json.loads(hit.body)
    assert data["type"] == "report.submit" and data["report"]["id"] == report.pk
    assert data["report"]["url"] == f"http://127.0.0.1:8000/reports/{report.pk}/"
    text = hit.body.decode()
    for private in ("Иван", "ivan@example.org", "79990001122"):
        assert private not in text


def test_the_signature_is_the_documented_hmac(endpoint):
    body = b'{"a":1}'
    header = webhooks.sign(SECRET, body, timestamp=1700000000)
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert webhooks.verify(SECRET, body, header, now=1700000100)
    assert not webhooks.verify(SECRET, body, header, now=1700000000 + 301)  # replayed too late
    assert not webhooks.verify(SECRET, body, "garbage")


def test_an_event_filter_limits_what_is_sent(endpoint, file_report, deliver, http_sink):
    endpoint.actions = ["resolve"]
    endpoint.save()
    report = file_report()
    report_transition(report=report, action="accept")
    fan_out()
    assert not Delivery.objects.filter(channel="webhook").exists()


def test_a_500_is_retried_until_it_succeeds(endpoint, file_report, http_sink, deliver):
    http_sink.responses.extend([(500, b"oops", 0), (503, b"busy", 0)])
    file_report()
    delivery = Delivery.objects.get(channel="webhook")
    deliver()
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.attempts == 1 and delivery.last_error == "HTTP 500"
    _deliver_at(deliver, delivery)
    delivery.refresh_from_db()
    assert delivery.last_error == "HTTP 503" and delivery.attempts == 2
    _deliver_at(deliver, delivery)
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 3
    keys = {hit.headers["Idempotency-Key"] for hit in http_sink.hits}
    assert keys == {delivery.key} and len(http_sink.hits) == 3


def test_a_timeout_is_retried_and_the_request_never_waits(
    endpoint, file_report, http_sink, deliver, settings, monkeypatch
):
    settings.GOROD_HTTP_TIMEOUT_S = 0.3
    http_sink.default = (200, b"{}", 10.0)  # the integrator hangs, far beyond the timeout
    opened = []
    real_open = http._opener.open
    monkeypatch.setattr(http._opener, "open", lambda *a, **kw: opened.append(a) or real_open(*a, **kw))
    report = file_report()
    report_transition(report=report, action="accept")
    # Not timed (a loaded machine is slow anyway): the request opens no connection, so it cannot wait.
    assert opened == [] and http_sink.hits == []
    deliver()
    # The "accept" webhook does not overtake the "submit" one that timed out: it waits for it.
    assert len(opened) == 1
    rows = list(Delivery.objects.filter(channel="webhook").order_by("pk"))
    assert [(d.state, d.last_error) for d in rows] == [
        ("pending", "timeout"),
        ("pending", "waits for an earlier message about the same report"),
    ]
    http_sink.default = (200, b"{}", 0)
    settings.GOROD_HTTP_TIMEOUT_S = 60  # answered at once; a loaded machine must not turn it into a timeout
    deliver(max(d.next_attempt_at for d in rows))
    assert set(Delivery.objects.filter(channel="webhook").values_list("state", flat=True)) == {"sent"}


def test_a_refused_connection_is_retried_and_a_4xx_is_dead_at_once(city, file_report, deliver, http_sink):
    WebhookEndpoint.objects.create(municipality=city, name="down", url="http://127.0.0.1:9/x", secret="s")
    WebhookEndpoint.objects.create(municipality=city, name="gone", url=http_sink.url + "/gone", secret="s")
    http_sink.default = (410, b"", 0)
    file_report()
    deliver()
    down = Delivery.objects.get(webhook__name="down")
    gone = Delivery.objects.get(webhook__name="gone")
    assert down.state == "pending" and down.last_error.startswith("connection failed")
    assert gone.state == "dead" and gone.last_error == "HTTP 410"


def test_redirects_are_not_followed(endpoint, file_report, deliver, http_sink):
    http_sink.default = (302, b"", 0)
    file_report()
    deliver()
    assert Delivery.objects.get(channel="webhook").last_error == "HTTP 302"
    assert len(http_sink.hits) == 1


def test_an_inactive_endpoint_gets_nothing(endpoint, file_report):
    endpoint.active = False
    endpoint.save()
    with clock.frozen(clock.now()):
        file_report()
    assert not Delivery.objects.filter(channel="webhook").exists()
