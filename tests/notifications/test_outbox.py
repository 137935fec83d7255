"""The outbox: rows written in the transaction of the change, nothing when it rolls back, mails to the
author and followers on public changes only, idempotent keys, plain text."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from gorod.notifications import fanout, scheduler, services, tasks
from gorod.notifications.models import Delivery
from gorod.reports.models import ReportEvent
from gorod.reports.services import ReportConflict, report_transition
from tests.helpers import fan_out

pytestmark = pytest.mark.django_db


def test_filing_records_one_undispatched_event_and_the_timetable_wakes_the_worker_once(
    file_report, frozen_spring
):
    report = file_report(fan_out=False)
    assert ReportEvent.objects.filter(report=report, dispatched=False).count() == 1
    assert not Delivery.objects.filter(report=report).exists()  # derived by the worker, off the hot path
    assert scheduler.wake_fan_out()
    assert not scheduler.wake_fan_out()  # one waiting fan-out is enough
    assert DBTaskResult.objects.filter(task_path=tasks.fan_out.module_path).count() == 1


def test_the_worker_derives_the_author_mail_from_the_fanout_row_once(file_report, frozen_spring):
    report = file_report(fan_out=False)
    fanout.fan_out()
    fanout.fan_out()  # a second run (a restarted worker) finds nothing left to do
    rows = list(Delivery.objects.filter(report=report))
    assert [(d.channel, d.kind, d.state) for d in rows] == [("email", "author", "pending")]
    assert rows[0].recipient == "ivan@example.org"
    assert not ReportEvent.objects.filter(report=report, dispatched=False).exists()
    assert not scheduler.wake_fan_out()  # nothing left to wake the worker for


def test_personal_data_is_encrypted_at_rest(file_report, frozen_spring):
    report = file_report()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recipient, payload, key FROM notifications_delivery WHERE report_id = %s", [report.pk]
        )
        recipient, payload, key = cursor.fetchone()
    assert "ivan@example.org" not in recipient and "ivan" not in payload and "ivan" not in key


def test_the_author_mail_is_sent_with_its_key_as_message_id_and_one_click_unsubscribe(
    file_report, frozen_spring, deliver, mailoutbox
):
    report = file_report()
    delivery = Delivery.objects.get(report=report)
    assert deliver() == 1
    (mail,) = mailoutbox
    assert mail.to == ["ivan@example.org"]
    assert mail.extra_headers["Message-ID"] == f"<{delivery.key}@localhost>"
    assert mail.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/notifications/unsubscribe/"
    )
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://127.0.0.1:8000/reports/{report.pk}/" in mail.body
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.sent_at == frozen_spring and delivery.attempts == 1
    assert deliver() == 0  # nothing twice


def test_a_rolled_back_transition_leaves_no_delivery(file_report, frozen_spring):
    report = file_report()
    before = Delivery.objects.count(), DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        report_transition(report=report, action="accept")
        # Written inside: the event that the worker would derive the mail from…
        assert ReportEvent.objects.filter(report=report, action="accept", dispatched=False).exists()
        raise RuntimeError("the caller fails after the transition")
    fan_out()
    assert (Delivery.objects.count(), DBTaskResult.objects.count()) == before  # …and gone with it
    assert not ReportEvent.objects.filter(report=report, action="accept").exists()


def test_a_refused_transition_writes_nothing(file_report, frozen_spring):
    report = file_report()
    before = Delivery.objects.count()
    with pytest.raises(ReportConflict):
        report_transition(report=report, action="resolve", public_note="done")
    fan_out()
    assert Delivery.objects.count() == before


def test_every_public_status_change_mails_the_author(file_report, frozen_spring, deliver, mailoutbox):
    report = file_report()
    report_transition(report=report, action="accept")
    report_transition(report=report, action="start")
    report_transition(report=report, action="resolve", public_note="Яму заделали.")
    assert deliver() == 4
    subjects = [m.subject for m in mailoutbox]
    assert len(set(subjects)) == 4
    assert "Яму заделали." in mailoutbox[-1].body


def test_private_notes_and_silent_edits_do_not_mail(file_report, frozen_spring, deliver, mailoutbox):
    report = file_report()
    deliver()
    mailoutbox.clear()
    from gorod.reports import events

    with transaction.atomic():
        events.record(report=report, action="note", from_status="submitted", to_status="submitted",
                      private_note="внутреннее")  # fmt: skip
    assert deliver() == 0 and mailoutbox == []


def test_a_held_answer_is_mailed_only_when_published(
    file_report, frozen_spring, deliver, mailoutbox, make_user
):
    report = file_report()
    report_transition(report=report, action="accept")
    report_transition(report=report, action="start")
    deliver()
    mailoutbox.clear()
    report_transition(report=report, action="resolve", public_note="Ответ на проверке", note_state="pending")
    assert deliver() == 0 and mailoutbox == []
    event = ReportEvent.objects.get(report=report, action="resolve")
    ReportEvent.objects.filter(pk=event.pk).update(note_state="published")
    event.refresh_from_db()
    fanout.answer_published(event)
    fanout.answer_published(event)  # told twice (a worker that died before marking it done)
    assert deliver() == 1
    assert "Ответ на проверке" in mailoutbox[0].body


def test_answer_published_refuses_an_unpublished_note(file_report, frozen_spring):
    report = file_report()
    report_transition(report=report, action="reject", public_note="нет", note_state="pending")
    event = ReportEvent.objects.get(report=report, action="reject")
    with pytest.raises(ValueError):
        fanout.answer_published(event)


def test_email_enqueue_is_idempotent_by_key(db, deliver, mailoutbox):
    first = services.email_enqueue(to="a@example.org", subject="Hi\r\nBcc: x@evil", body="b", key="k1")
    again = services.email_enqueue(to="a@example.org", subject="other", body="other", key="k1")
    assert first.pk == again.pk and Delivery.objects.count() == 1
    assert deliver() == 1
    assert mailoutbox[0].subject == "Hi Bcc: x@evil"  # one line: no header injection
    assert "Bcc" not in mailoutbox[0].message().as_string().split("\n\n")[0].replace("Subject: Hi Bcc", "")


@pytest.mark.parametrize("bad", ["", "not-an-address", "a@b@c", "x\n@example.org"])
def test_email_enqueue_refuses_a_bad_address(db, bad):
    with pytest.raises(services.NotificationInvalid):
        services.email_enqueue(to=bad, subject="s", body="b", key="k")
    assert Delivery.objects.count() == 0


def test_hostile_text_stays_plain_text_in_mails(file_report, frozen_spring, deliver, mailoutbox):
    hostile = '<script>alert("x")</script> <b>bold</b> & {{ settings.SECRET_KEY }} {% debug %}'
    file_report(description=hostile)
    deliver()
    (mail,) = mailoutbox
    assert hostile in mail.body  # verbatim, not escaped and not interpreted as a template
    message = mail.message()
    assert message.get_content_type() == "text/plain" and not message.is_multipart()
    assert getattr(mail, "alternatives", []) == []


def test_followers_are_mailed_once_and_not_about_their_own_action(
    file_report, frozen_spring, deliver, mailoutbox, make_user
):
    report = file_report()
    follower = make_user(email="f@example.org")
    moderator = make_user(role="moderator", email="m@example.org")
    services.follow_user(report=report, user=follower)
    services.follow_user(report=report, user=moderator)
    # The author follows too, with the same address as the report's contact: one mail, not two.
    services.follow_by_email(report=report, email="IVAN@example.org")
    from gorod.notifications.models import Follow

    Follow.objects.filter(email_hash__gt="").update(confirmed=True)
    deliver()
    mailoutbox.clear()
    report_transition(report=report, action="accept", actor=moderator)
    deliver()
    assert sorted(m.to[0] for m in mailoutbox) == ["f@example.org", "ivan@example.org"]


def test_a_signed_in_author_is_mailed_at_the_account_address(
    city, new_report, frozen_spring, deliver, mailoutbox, make_user
):
    from gorod.reports.services import report_create

    author = make_user(email="author@example.org")
    report = report_create(municipality=city, data=new_report(contact_email=""), author=author)
    report_transition(report=report, action="accept")
    deliver()
    assert [m.to for m in mailoutbox] == [["author@example.org"], ["author@example.org"]]
    # The author's own confirmation is not news to them.
    report_transition(report=report, action="start")
    report_transition(report=report, action="resolve", public_note="ok")
    deliver()
    mailoutbox.clear()
    report_transition(report=report, action="confirm", actor=author)
    deliver()
    assert mailoutbox == []
