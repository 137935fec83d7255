"""Retries with exponential back-off and jitter, dead letters after N attempts, staff retry, leases."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core.exceptions import PermissionDenied

from gorod.core import clock
from gorod.notifications import delivery as machinery
from gorod.notifications import selectors, services

pytestmark = pytest.mark.django_db


def test_backoff_doubles_within_jitter_bounds_and_is_capped(settings):
    settings.GOROD_DELIVERY_BACKOFF_BASE_S = 30
    settings.GOROD_DELIVERY_BACKOFF_MAX_S = 3600
    for attempts, ceiling in [(1, 30), (2, 60), (3, 120), (4, 240), (8, 3600), (20, 3600)]:
        low = machinery.backoff(attempts, rand=lambda: 0.0).total_seconds()
        high = machinery.backoff(attempts, rand=lambda: 0.999999).total_seconds()
        assert low == ceiling / 2 and ceiling * 0.99 < high <= ceiling
    spread = {machinery.backoff(5).total_seconds() for _ in range(50)}
    assert len(spread) > 40  # jitter: retries do not arrive in lockstep


def test_a_failure_is_counted_and_retried_after_the_backoff(db, failing_mail, settings):
    settings.GOROD_DELIVERY_BACKOFF_BASE_S = 30
    start = dt.datetime(2026, 5, 13, 10, 0, tzinfo=dt.UTC)
    with clock.frozen(start):
        delivery = services.email_enqueue(to="a@example.org", subject="s", body="b", key="k")
        assert machinery.deliver_due() == 0
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.attempts == 1
    assert delivery.last_error == "SMTP SMTPServerDisconnected" and delivery.claim == ""
    wait = (delivery.next_attempt_at - start).total_seconds()
    assert 15 <= wait <= 30
    with clock.frozen(start + dt.timedelta(seconds=14)):
        machinery.deliver_due()
    assert failing_mail.calls == 1  # not before its time
    with clock.frozen(delivery.next_attempt_at):
        machinery.deliver_due()
    assert failing_mail.calls == 2
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and 30 <= (delivery.next_attempt_at - start).total_seconds() - wait <= 60


def test_a_delivery_goes_dead_after_max_attempts_and_staff_can_retry_it(
    db, failing_mail, settings, make_user, mailoutbox
):
    settings.GOROD_DELIVERY_MAX_ATTEMPTS = 3
    at = clock.now()
    delivery = services.email_enqueue(to="a@example.org", subject="s", body="b", key="k")
    for _ in range(5):
        at += dt.timedelta(days=1)
        machinery.deliver_due(at)
    delivery.refresh_from_db()
    assert failing_mail.calls == 3
    assert delivery.state == "dead" and delivery.attempts == 3 and delivery.last_error
    assert list(selectors.dead_letters()) == [delivery]

    moderator = make_user(role="moderator")
    with pytest.raises(PermissionDenied):
        services.delivery_retry(delivery=delivery, actor=moderator)
    delivery.refresh_from_db()
    assert delivery.state == "dead"

    admin = make_user(role="city_admin")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retried = services.delivery_retry(delivery=delivery, actor=admin)
    assert retried.state == "pending" and retried.attempts == 0 and retried.retried_by == admin
    with pytest.raises(services.NotificationInvalid):
        services.delivery_retry(delivery=retried, actor=admin)  # only dead ones
    machinery.deliver_due()
    assert len(mailoutbox) == 1 and mailoutbox[0].extra_headers["Message-ID"].startswith(f"<{delivery.key}@")
    assert not selectors.dead_letters().exists()


def test_a_refused_recipient_is_dead_at_once_without_the_address_in_the_reason(db, failing_mail):
    failing_mail.error = smtplib.SMTPRecipientsRefused(
        {"a@example.org": (550, b"no such user a@example.org")}
    )
    delivery = services.email_enqueue(to="a@example.org", subject="s", body="b", key="k")
    machinery.deliver_due()
    delivery.refresh_from_db()
    assert delivery.state == "dead" and delivery.attempts == 1
    assert "example.org" not in delivery.last_error


def test_a_crashed_claim_is_resent_with_the_same_key_after_its_lease(db, settings, mailoutbox):
    settings.GOROD_DELIVERY_LEASE_S = 60
    delivery = services.email_enqueue(to="a@example.org", subject="s", body="b", key="k")
    at = clock.now()
    claimed = machinery.claim("deadworker", at, 10)  # a worker claims it… and dies before sending
    assert [d.pk for d in claimed] == [delivery.pk]
    assert machinery.deliver_due(at + dt.timedelta(seconds=59)) == 0  # still leased to the dead worker
    assert machinery.deliver_due(at + dt.timedelta(seconds=61)) == 1
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 2
    assert mailoutbox[0].extra_headers["Message-ID"] == f"<{delivery.key}@localhost>"


def test_a_late_worker_cannot_mark_a_reclaimed_delivery(db, settings):
    delivery = services.email_enqueue(to="a@example.org", subject="s", body="b", key="k")
    at = clock.now()
    (first,) = machinery.claim("slow", at, 10)
    (second,) = machinery.claim("fast", at + dt.timedelta(seconds=500), 10)
    assert machinery._mark_sent(first, "slow") is False
    assert machinery._mark_sent(second, "fast") is True
    delivery.refresh_from_db()
    assert delivery.state == "sent"


def test_deliveries_recent_and_counts(db, make_user):
    services.email_enqueue(to="a@example.org", subject="s", body="b", key="k1")
    services.email_enqueue(to="b@example.org", subject="s", body="b", key="k2")
    assert selectors.delivery_counts() == {"pending": 2, "held": 0, "sent": 0, "dead": 0, "dropped": 0}
    assert len(selectors.deliveries_recent(state="pending")) == 2
    assert len(selectors.deliveries_recent(channel="webhook")) == 0


def test_permissions_of_roles(make_user):
    allowed = {role: make_user(role=role).has_perm("notifications.retry") for role in
               ["citizen", "moderator", "executor", "department_head", "city_admin", "auditor"]}  # fmt: skip
    assert allowed == {"citizen": False, "moderator": False, "executor": False, "department_head": False,
                       "city_admin": True, "auditor": False}  # fmt: skip
    inactive = make_user(role="city_admin", is_active=False)
    assert not inactive.has_perm("notifications.retry")


def test_a_later_mail_about_a_report_never_overtakes_an_earlier_one_being_retried(
    file_report, failing_mail, settings, mailoutbox
):
    """Issue 9 item 15: "accepted" arrived before "received" when the receipt's first send failed."""
    from gorod.notifications.models import Delivery
    from gorod.reports.services import report_transition

    start = dt.datetime(2026, 5, 13, 10, 0, tzinfo=dt.UTC)
    with clock.frozen(start):
        report = file_report()
        report_transition(report=report, action="accept")
        machinery.deliver_due()  # the worker's own loop: fan-out, claim, admit, send
    received, accepted = Delivery.objects.filter(report=report, kind="author").order_by("pk")
    assert failing_mail.calls == 1  # only the receipt was tried; the acceptance waited for it
    received.refresh_from_db()
    accepted.refresh_from_db()
    assert (received.state, received.attempts, received.last_error) == (
        "pending",
        1,
        "SMTP SMTPServerDisconnected",
    )
    assert (accepted.state, accepted.attempts) == ("pending", 0)
    assert accepted.last_error == "waits for an earlier message about the same report"
    assert accepted.next_attempt_at > received.next_attempt_at

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert machinery.deliver_due(accepted.next_attempt_at) == 2
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [
        machinery.message_id(received.key),
        machinery.message_id(accepted.key),
    ]


def test_a_dead_earlier_mail_does_not_block_the_later_ones(file_report, failing_mail, settings, mailoutbox):
    from gorod.notifications.models import Delivery
    from gorod.reports.services import report_transition

    settings.GOROD_DELIVERY_MAX_ATTEMPTS = 1
    start = dt.datetime(2026, 5, 13, 10, 0, tzinfo=dt.UTC)
    with clock.frozen(start):
        report = file_report()
        machinery.deliver_due()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        report_transition(report=report, action="accept")
        machinery.deliver_due()
    states = list(
        Delivery.objects.filter(report=report, kind="author").order_by("pk").values_list("state", flat=True)
    )
    assert states == ["dead", "sent"] and len(mailoutbox) == 1
