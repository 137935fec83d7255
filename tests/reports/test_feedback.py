"""The citizen's loop: confirm, dispute (→ reopened with a new deadline), silence confirms, one rating;
and every way of answering without the right to is refused with nothing changed."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from django.core import signing

from gorod.accounts.models import User
from gorod.core import clock
from gorod.reports import tasks
from gorod.reports.models import Report, ReportEvent, Satisfaction
from gorod.reports.services import ReportForbidden, ReportInvalid, feedback, report_create, report_transition
from gorod.reports.workflow import Status

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
FILED = dt.datetime(2026, 5, 13, 10, tzinfo=MSK)  # Wednesday
RESOLVED_AT = dt.datetime(2026, 5, 14, 12, tzinfo=MSK)  # Thursday


@pytest.fixture
def client(client, settings):
    """The pages in English, whatever the default language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def author(db):
    return User.objects.create_user(username="author", password="x-Long-enough-42")


@pytest.fixture
def stranger(db):
    return User.objects.create_user(username="stranger", password="x-Long-enough-42")


@pytest.fixture
def resolved(city, new_report, author):
    """A pothole report by `author`, accepted and resolved on Thursday 14 May 2026."""
    with clock.frozen(FILED):
        report = report_create(municipality=city, data=new_report(), author=author)
        report_transition(report=report, action="accept")
    with clock.frozen(RESOLVED_AT):
        report_transition(report=report, action="resolve", public_note="Заделали")
    return Report.objects.get(pk=report.pk)


def grant_for(report) -> feedback.Grant:
    return feedback.read_token(feedback.confirmation_url(report).split("/")[-2], report_id=report.pk)


def snapshot(report):
    fresh = Report.objects.get(pk=report.pk)
    return (fresh.status, fresh.deadline, ReportEvent.objects.filter(report=report).count())


def test_resolving_sets_a_window_and_the_mail_link(resolved):
    # 10 working days after Thu 14 May 2026; Saturday 16 May is a moved working day → Wed 27 May.
    assert resolved.confirm_due == dt.date(2026, 5, 27)
    url = feedback.confirmation_url(resolved)
    assert url.startswith(f"/reports/{resolved.pk}/answer/")
    assert "ivan" not in url and "example" not in url  # no personal data in the link


def test_the_author_confirms(resolved, author):
    with clock.frozen(RESOLVED_AT + dt.timedelta(days=2)):
        report = feedback.feedback_confirm(report=resolved, user=author)
    assert report.status == Status.CONFIRMED
    event = ReportEvent.objects.filter(report=report).latest("id")
    assert event.action == "confirm" and event.actor == author and not event.changes


def test_confirming_by_link_needs_no_account_and_works_once(resolved, client):
    url = feedback.confirmation_url(resolved)
    token = url.split("/")[-2]
    with clock.frozen(RESOLVED_AT + dt.timedelta(days=1)):
        page = client.get(url)
        assert page.status_code == 200 and "Yes, it is fixed" in page.text
        response = client.post(f"/reports/{resolved.pk}/confirm/", {"token": token})
        assert response.status_code == 302 and response["Location"] == url
        assert Report.objects.get(pk=resolved.pk).status == Status.CONFIRMED
        before = snapshot(resolved)
        again = client.post(f"/reports/{resolved.pk}/confirm/", {"token": token})
        assert again.status_code == 403 and "already been answered" in again.text
        disputed = client.post(f"/reports/{resolved.pk}/dispute/", {"token": token, "reason": "нет"})
        assert disputed.status_code == 403
    assert snapshot(resolved) == before


def test_a_dispute_reopens_with_a_new_deadline_and_keeps_the_dispute(resolved, author):
    old_deadline = resolved.deadline
    with clock.frozen(dt.datetime(2026, 5, 15, 9, tzinfo=MSK)):
        report = feedback.feedback_dispute(report=resolved, reason="  Яма осталась  ", user=author)
    assert report.status == Status.REOPENED
    events = list(ReportEvent.objects.filter(report=report).order_by("id"))[-2:]
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("dispute", "resolved", "disputed"),
        ("reopen", "disputed", "reopened"),
    ]
    assert events[0].public_note == "Яма осталась" and events[0].actor == author
    # The pothole's 9 working days after Fri 15 May 2026, Saturday 16 May working → Wed 27 May.
    assert report.deadline == dt.date(2026, 5, 27) and report.deadline >= old_deadline
    assert events[1].changes == {"deadline": [old_deadline.isoformat(), "2026-05-27"]}
    assert Report.objects.get(pk=report.pk).deadline == dt.date(2026, 5, 27)
    assert Report.objects.get(pk=report.pk).confirm_due is None


def test_a_dispute_needs_a_reason(resolved, author, client):
    before = snapshot(resolved)
    with clock.frozen(RESOLVED_AT), pytest.raises(ReportInvalid) as err:
        feedback.feedback_dispute(report=resolved, reason="   ", user=author)
    assert "reason" in err.value.message_dict
    client.force_login(author)
    with clock.frozen(RESOLVED_AT):
        response = client.post(f"/reports/{resolved.pk}/dispute/", {"reason": ""})
    assert response.status_code == 400 and 'class="error-message"' in response.text
    assert snapshot(resolved) == before


def test_an_old_link_does_not_answer_a_later_resolution(resolved, author):
    old = grant_for(resolved)
    with clock.frozen(RESOLVED_AT + dt.timedelta(days=1)):
        feedback.feedback_dispute(report=resolved, reason="Не сделано", user=author)
        report_transition(report=resolved, action="resolve", public_note="Теперь сделали")
        before = snapshot(resolved)
        with pytest.raises(ReportForbidden) as err:
            feedback.feedback_confirm(report=resolved, grant=old)
        assert err.value.code == "answered"
        assert (
            feedback.feedback_confirm(report=resolved, grant=grant_for(resolved)).status == Status.CONFIRMED
        )
    assert before[0] == Status.RESOLVED


def test_the_window_closes_after_confirm_due(resolved, author, client):
    grant = grant_for(resolved)
    last_day = dt.datetime(2026, 5, 27, 23, 30, tzinfo=MSK)
    with clock.frozen(last_day):
        assert feedback.loop_for(resolved, user=author).can_answer
    before = snapshot(resolved)
    with clock.frozen(last_day + dt.timedelta(hours=1)):
        for kwargs in ({"user": author}, {"grant": grant}):
            with pytest.raises(ReportForbidden) as err:
                feedback.feedback_confirm(report=resolved, **kwargs)
            assert err.value.code == "expired"
        response = client.post(f"/reports/{resolved.pk}/dispute/", {"token": grant.token, "reason": "x"})
        assert response.status_code == 403 and "is over" in response.text
        assert "Is the problem fixed?" not in client.get(f"/reports/{resolved.pk}/answer/{grant.token}/").text
    assert snapshot(resolved) == before


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature broken
        lambda t: "x" + t,
        lambda t: signing.dumps({"r": 1, "e": 1}, salt="another.salt"),  # signed for something else
        lambda t: "",
    ],
)
def test_forged_links_are_404_and_change_nothing(resolved, client, mangle, caplog):
    token = mangle(feedback.confirmation_url(resolved).split("/")[-2])
    before = snapshot(resolved)
    with clock.frozen(RESOLVED_AT), caplog.at_level(logging.WARNING, logger="gorod.reports.feedback"):
        if token:
            assert client.get(f"/reports/{resolved.pk}/answer/{token}/").status_code == 404
        response = client.post(f"/reports/{resolved.pk}/confirm/", {"token": token})
    # An empty token is no link at all: then only the account counts, and there is none.
    assert response.status_code == (403 if not token else 404)
    assert snapshot(resolved) == before
    assert "ivan" not in caplog.text.lower()
    assert f"report={resolved.pk}" in caplog.text


def test_a_link_for_another_report_is_refused(resolved, city, new_report, client):
    with clock.frozen(FILED):
        other = report_create(municipality=city, data=new_report(description="Другая яма"))
    token = feedback.confirmation_url(resolved).split("/")[-2]
    with clock.frozen(RESOLVED_AT):
        assert client.get(f"/reports/{other.pk}/answer/{token}/").status_code == 404
        assert client.post(f"/reports/{other.pk}/confirm/", {"token": token}).status_code == 404
    assert Report.objects.get(pk=other.pk).status == Status.SUBMITTED


def test_someone_elses_report_is_refused(resolved, stranger, client):
    before = snapshot(resolved)
    with clock.frozen(RESOLVED_AT):
        with pytest.raises(ReportForbidden) as err:
            feedback.feedback_dispute(report=resolved, reason="чужое", user=stranger)
        assert err.value.code == "forbidden"
        client.force_login(stranger)
        assert "Is the problem fixed?" not in client.get(f"/reports/{resolved.pk}/").text
        assert client.post(f"/reports/{resolved.pk}/confirm/").status_code == 403
        client.logout()
        assert client.post(f"/reports/{resolved.pk}/confirm/").status_code == 403
    assert snapshot(resolved) == before


def test_a_report_not_resolved_cannot_be_confirmed(city, new_report, author):
    with clock.frozen(FILED):
        report = report_create(municipality=city, data=new_report(), author=author)
        with pytest.raises(ReportForbidden) as err:
            feedback.feedback_confirm(report=report, user=author)
    assert err.value.code == "answered"
    assert feedback.confirmation_url(report) == ""
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_silence_confirms_after_the_window_and_the_task_is_idempotent(resolved, city, new_report):
    with clock.frozen(FILED):
        fresh = report_create(municipality=city, data=new_report(description="Вторая"))
        report_transition(report=fresh, action="accept")
    with clock.frozen(dt.datetime(2026, 5, 27, 10, tzinfo=MSK)):
        report_transition(report=fresh, action="resolve", public_note="Сделали")  # window still open later
    with clock.frozen(dt.datetime(2026, 5, 27, 20, tzinfo=MSK)):
        assert feedback.confirm_overdue() == 0  # the last day still belongs to the author
    with clock.frozen(dt.datetime(2026, 5, 28, 0, 30, tzinfo=MSK)):
        assert feedback.confirm_overdue() == 1
        assert feedback.confirm_overdue() == 0
        assert tasks.auto_confirm_due.call() == 0
    assert Report.objects.get(pk=fresh.pk).status == Status.RESOLVED
    report = Report.objects.get(pk=resolved.pk)
    assert report.status == Status.CONFIRMED
    event = ReportEvent.objects.filter(report=report).latest("id")
    assert (
        event.action == "confirm"
        and event.actor is None
        and event.changes == {"auto_confirmed": [False, True]}
    )


def test_a_bulk_loaded_report_without_a_window_is_confirmed_after_the_default_one(resolved):
    Report.objects.filter(pk=resolved.pk).update(confirm_due=None)
    with clock.frozen(dt.datetime(2026, 5, 27, 12, tzinfo=MSK)):
        assert feedback.confirm_overdue() == 0
    with clock.frozen(dt.datetime(2026, 5, 28, 12, tzinfo=MSK)):
        assert feedback.confirm_overdue() == 1


def test_the_task_is_on_the_workers_timetable():
    from gorod.notifications.scheduler import jobs

    assert ("gorod.reports.tasks.auto_confirm_due", 3600) in jobs()


# --- rating ---------------------------------------------------------------------------------------
def test_one_rating_after_the_authors_confirmation(resolved, author):
    with clock.frozen(RESOLVED_AT):
        with pytest.raises(ReportForbidden) as err:
            feedback.feedback_rate(report=resolved, score=5, user=author)
        assert err.value.code == "not_confirmed"
        feedback.feedback_confirm(report=resolved, user=author)
        rating = feedback.feedback_rate(report=resolved, score="4", comment=" Быстро ", user=author)
        assert (rating.score, rating.comment) == (4, "Быстро")
        with pytest.raises(ReportForbidden) as err:
            feedback.feedback_rate(report=resolved, score=1, user=author)
        assert err.value.code == "rated"
    assert Satisfaction.objects.get(report=resolved).score == 4


@pytest.mark.parametrize("score", ["0", "6", "", "abc", "4.5", None, "-1"])
def test_a_bad_score_is_refused(resolved, author, score):
    with clock.frozen(RESOLVED_AT):
        feedback.feedback_confirm(report=resolved, user=author)
        with pytest.raises(ReportInvalid):
            feedback.feedback_rate(report=resolved, score=score, user=author)
    assert not Satisfaction.objects.exists()


def test_no_rating_after_a_confirmation_by_silence(resolved, author):
    with clock.frozen(dt.datetime(2026, 6, 1, 9, tzinfo=MSK)):
        feedback.confirm_overdue()
        assert not feedback.loop_for(Report.objects.get(pk=resolved.pk), user=author).can_rate
        with pytest.raises(ReportForbidden) as err:
            feedback.feedback_rate(report=resolved, score=5, user=author)
    assert err.value.code == "not_confirmed"


def test_rating_by_link_through_the_pages(resolved, client):
    url = feedback.confirmation_url(resolved)
    token = url.split("/")[-2]
    with clock.frozen(RESOLVED_AT):
        client.post(f"/reports/{resolved.pk}/confirm/", {"token": token})
        page = client.get(url).text
        assert "How well was your report dealt with?" in page
        bad = client.post(f"/reports/{resolved.pk}/rate/", {"token": token, "score": "9"})
        assert bad.status_code == 400 and "from 1 to 5" in bad.text
        ok = client.post(
            f"/reports/{resolved.pk}/rate/", {"token": token, "score": "5", "comment": "<b>ok</b>"}
        )
        assert ok.status_code == 302
        again = client.post(f"/reports/{resolved.pk}/rate/", {"token": token, "score": "1"})
        assert again.status_code == 403
        shown = client.get(f"/reports/{resolved.pk}/").text
    assert Satisfaction.objects.get(report=resolved).score == 5
    assert "5 out of 5" in shown and "<b>ok</b>" not in shown


def test_the_author_sees_the_box_and_answers_on_the_page(resolved, author, client):
    client.force_login(author)
    with clock.frozen(RESOLVED_AT):
        page = client.get(f"/reports/{resolved.pk}/").text
        assert "Is the problem fixed?" in page and 'name="token"' not in page
        response = client.post(f"/reports/{resolved.pk}/dispute/", {"reason": "Всё ещё яма"})
    assert response.status_code == 302
    assert Report.objects.get(pk=resolved.pk).status == Status.REOPENED


def test_answers_are_posts_only(resolved, client):
    token = feedback.confirmation_url(resolved).split("/")[-2]
    with clock.frozen(RESOLVED_AT):
        assert client.get(f"/reports/{resolved.pk}/confirm/?token={token}").status_code == 405
    assert Report.objects.get(pk=resolved.pk).status == Status.RESOLVED
