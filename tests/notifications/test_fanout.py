"""Deliveries derived from report events. reports only records events; the worker's fan-out takes the
undispatched ones, writes what each causes and marks it dispatched in the same transaction — once per
event, in the order recorded, as the event was when recorded, and never from a change that rolled back."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import close_old_connections, connection, transaction

from gorod.notifications import fanout, scheduler
from gorod.notifications.models import Delivery, WebhookEndpoint
from gorod.reports.models import ReportEvent
from gorod.reports.services import moderation, report_create, report_transition
from tests.helpers import fan_out

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(city):
    # Never called here: the tests look at what would be sent, not at sending it.
    return WebhookEndpoint.objects.create(municipality=city, name="i", url="http://127.0.0.1:9/", secret="s")


@pytest.fixture
def derived(monkeypatch):
    """The ids of the events the fan-out derived deliveries from, each time it did (any thread)."""
    seen: list[int] = []
    lock = threading.Lock()
    real = fanout._derive

    def counting(event, *, held):
        with lock:
            seen.append(event.pk)
        return real(event, held=held)

    monkeypatch.setattr(fanout, "_derive", counting)
    return seen


def told(report) -> list[tuple]:
    """What was written for a report, in order, without ids, links or times."""
    out = []
    for delivery in Delivery.objects.filter(report=report).select_related("event").order_by("pk"):
        data = json.loads(delivery.payload)
        if delivery.channel == "webhook":
            body = json.loads(data["body"])
            out.append((data["type"], body["report"]["status"], body["event"]["public_note"]))
        else:
            out.append((delivery.kind, delivery.event.action))
    return out


def test_an_event_recorded_in_a_rolled_back_transaction_yields_nothing(city, new_report, hook, frozen_spring):
    with pytest.raises(RuntimeError), transaction.atomic():
        report_create(municipality=city, data=new_report())
        raise RuntimeError("the request fails after filing")
    assert not scheduler.wake_fan_out()
    fan_out()
    assert not ReportEvent.objects.exists() and not Delivery.objects.exists()


def test_the_events_of_a_transition_are_dispatched_once(file_report, hook, derived, frozen_spring):
    report = file_report(fan_out=False)
    for action in ("accept", "start"):
        report = report_transition(report=report, action=action)
    report = report_transition(report=report, action="resolve", public_note="Сделано")
    with transaction.atomic():  # as feedback_dispute does: two events in one transaction
        report = report_transition(report=report, action="dispute", public_note="Не сделано")
        report = report_transition(report=report, action="reopen")
    fan_out()
    fan_out()  # a second run (another worker, a restart) finds nothing
    recorded = list(ReportEvent.objects.filter(report=report).order_by("pk").values_list("pk", flat=True))
    assert derived == recorded
    assert not ReportEvent.objects.filter(dispatched=False).exists()
    # In the order recorded, each as it was then: the dispute is told as "disputed", though the report
    # had been reopened before the worker came.
    webhooks = [t for t in told(report) if t[0].startswith("report.")]
    assert [(kind, status) for kind, status, _ in webhooks] == [
        ("report.submit", "submitted"),
        ("report.accept", "accepted"),
        ("report.start", "in_progress"),
        ("report.resolve", "resolved"),
        ("report.dispute", "disputed"),
        ("report.reopen", "reopened"),
    ]
    assert [t[1] for t in told(report) if t[0] == "author"] == [
        "submit", "accept", "start", "resolve", "dispute", "reopen",
    ]  # fmt: skip


def test_a_later_event_waits_while_another_worker_holds_an_earlier_one_of_its_report(
    file_report, monkeypatch, frozen_spring
):
    report = file_report(fan_out=False)
    report_transition(report=report, action="accept")
    submit = ReportEvent.objects.get(report=report, action="submit")
    # What PostgreSQL's SKIP LOCKED shows a worker while another one holds the submit event.
    monkeypatch.setattr(fanout, "locked", lambda qs: qs.exclude(pk=submit.pk))
    fan_out()
    assert not Delivery.objects.exists()  # "accepted" never reaches the author before "received"
    assert ReportEvent.objects.filter(report=report, dispatched=False).count() == 2
    monkeypatch.undo()
    fan_out()
    assert told(report) == [("author", "submit"), ("author", "accept")]


def _held_answer(file_report, categories):
    report = file_report(category=categories["litter"], attributes={}, fan_out=False)  # answers moderated
    for action in ("accept", "start"):
        report = report_transition(report=report, action=action)
    report = report_transition(report=report, action="resolve", public_note="Убрано", note_state="pending")
    return report, ReportEvent.objects.get(report=report, action="resolve")


def test_an_answer_published_before_the_worker_came_is_told_as_if_it_had_come_in_time(
    file_report, categories, make_user, hook, frozen_spring
):
    moderator = make_user(role="moderator")
    in_time, event = _held_answer(file_report, categories)
    fan_out()
    moderation.answer_publish(event=event, actor=moderator)
    fan_out()
    late, event = _held_answer(file_report, categories)
    moderation.answer_publish(event=event, actor=moderator)
    fan_out()
    assert told(late) == told(in_time)
    assert ("report.resolve", "resolved", "") in told(late)  # held when recorded: no text yet
    assert ("report.answer_published", "resolved", "Убрано") in told(late)
    assert [t[1] for t in told(late) if t[0] == "author"] == ["submit", "accept", "start", "resolve"]


def test_an_answer_given_again_and_public_at_once_is_told_as_published(
    file_report, categories, make_user, hook, frozen_spring
):
    report, event = _held_answer(file_report, categories)
    moderation.answer_send_back(event=event, actor=make_user(role="moderator"), reason="Нет адреса")
    fan_out()
    before = len(told(report))
    answer = moderation.answer_resubmit(
        report=report, actor=make_user(role="city_admin"), text="Убрано у д. 5"
    )
    assert answer.note_state == ReportEvent.NoteState.PUBLISHED  # a city administrator needs no moderator
    fan_out()
    assert told(report)[before:] == [
        ("author", "answer"),
        ("report.answer", "resolved", "Убрано у д. 5"),
        ("report.answer_published", "resolved", "Убрано у д. 5"),
    ]
    assert "Убрано у д. 5" in json.loads(Delivery.objects.get(event=answer, kind="author").payload)["body"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_fan_outs_never_double_a_delivery(city, new_report, hook, derived, request):
    reports = [report_create(municipality=city, data=new_report()) for _ in range(6)]
    for report in reports:
        report_transition(report=report, action="accept")
    request.getfixturevalue("real_database")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            fanout.fan_out(batch=4)  # small batches, so the two workers take turns
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(derived) == sorted(ReportEvent.objects.values_list("pk", flat=True))  # each once
    assert not ReportEvent.objects.filter(dispatched=False).exists()
    # Per event one mail to the author and one webhook: 12 events, 24 deliveries, none twice.
    assert Delivery.objects.count() == 24
    for report in reports:
        assert [t for t in told(report) if t[0] == "author"] == [("author", "submit"), ("author", "accept")]
