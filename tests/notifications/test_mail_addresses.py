"""Mail abuse (issue 9, item 4): an address nobody proved gets one confirmation request and nothing anyone
else wrote; held mails go out in order once it is confirmed, expire otherwise; per-address caps; a one-click
"stop everything"; links that are forged or old are refused with a page, never a 500; and a delivery is
never both held and sent, whatever the worker does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

from gorod.core import clock, crypto
from gorod.notifications import addresses, links, services
from gorod.notifications import delivery as machinery
from gorod.notifications.models import Delivery, MailAddress
from gorod.reports.services import report_transition

pytestmark = pytest.mark.django_db

SPAM = "Купите слонов http://spam.example/elephants"
STRANGER = "stranger@example.org"


@pytest.fixture(autouse=True)
def _addresses_confirmed():
    """Overrides the package's fixture: here no address counts as confirmed unless it was proven."""


def path_of(url: str) -> str:
    return url.removeprefix(settings.GOROD_SITE_URL)


def link_in(mail, kind: str) -> str:
    found = re.search(rf"https?://\S+/notifications/address/{kind}/[^/\s]+/", mail.body)
    assert found, mail.body
    return path_of(found.group(0))


def address(email: str) -> MailAddress:
    return MailAddress.objects.get(address_hash=crypto.lookup_hash(email))


def test_a_stranger_gets_one_confirmation_mail_without_the_report_text_however_many_reports(
    file_report, frozen_spring, deliver, mailoutbox
):
    for _ in range(20):
        file_report(contact_email=STRANGER, description=SPAM)
        deliver()
    assert len(mailoutbox) == 1
    (mail,) = mailoutbox
    assert mail.to == [STRANGER]
    text = mail.subject + mail.body
    assert "слонов" not in text and "spam" not in text and "Иван" not in text
    assert (
        mail.subject
        == "Тестоград: подтвердите адрес электронной почты / Confirm your e-mail address for Testgrad"
    )
    assert "/notifications/address/confirm/" in mail.body
    assert STRANGER not in link_in(mail, "confirm") and "stranger" not in link_in(mail, "confirm")
    assert Delivery.objects.filter(kind="author", state="held").count() == 20
    assert address(STRANGER).state == "unconfirmed"
    # Later the same day: still that one mail. The next day a new report may ask once more.
    with clock.frozen(frozen_spring + dt.timedelta(hours=20)):
        file_report(contact_email=STRANGER, description=SPAM)
        deliver()
    assert len(mailoutbox) == 1
    with clock.frozen(frozen_spring + dt.timedelta(days=1, minutes=1)):
        file_report(contact_email=STRANGER, description=SPAM)
        deliver()
    assert len(mailoutbox) == 2 and "слонов" not in mailoutbox[1].body


def test_confirming_releases_the_held_mails_in_order(file_report, frozen_spring, deliver, mailoutbox):
    report = file_report(contact_email=STRANGER)
    deliver()
    for action in ("accept", "start"):
        report = report_transition(report=report, action=action)
    deliver()
    (request,) = mailoutbox
    confirm = link_in(request, "confirm")
    client = Client(enforce_csrf_checks=False)
    page = client.get(confirm)
    assert page.status_code == 200 and address(STRANGER).state == "unconfirmed"  # a GET confirms nothing
    assert client.post(confirm).status_code == 200
    assert address(STRANGER).state == "confirmed"
    deliver()
    news = mailoutbox[1:]
    assert [m.subject for m in news] == [
        f"Сообщение №{report.pk}: ожидает модерации",
        f"Сообщение №{report.pk}: принято",
        f"Сообщение №{report.pk}: в работе",
    ]
    assert [m.extra_headers["Message-ID"] for m in news] == [
        f"<{d.key}@localhost>" for d in Delivery.objects.filter(kind="author").order_by("pk")
    ]
    assert not Delivery.objects.filter(state="held").exists()
    # Once confirmed, no new request: the next news goes straight out.
    report_transition(report=report, action="resolve", public_note="Сделано")
    deliver()
    assert len(mailoutbox) == 5 and "Сделано" in mailoutbox[-1].body


def test_an_accounts_verified_address_counts_as_confirmed(make_user, frozen_spring, deliver, mailoutbox):
    verified = make_user(email="verified@example.org")
    verified.email_verified = True
    verified.save(update_fields=["email_verified"])
    services.email_enqueue(to="verified@example.org", subject="News", body="Hello", key="a")
    deliver()
    assert [m.subject for m in mailoutbox] == ["News"]

    # Held before the account proved its address (a sign-in link used later): released then.
    later = make_user(email="later@example.org")
    services.email_enqueue(to="later@example.org", subject="Held news", body="Hello", key="b")
    deliver()
    assert Delivery.objects.filter(kind="email", state="held").count() == 1
    later.email_verified = True
    later.save(update_fields=["email_verified"])
    deliver()
    assert [m.subject for m in mailoutbox][-1] == "Held news"
    assert address("later@example.org").state == "confirmed"


def test_a_sign_in_link_and_a_follow_confirmation_prove_the_address_and_are_not_held(
    file_report, frozen_spring, deliver, mailoutbox
):
    report = file_report(contact_email="someone@example.org")
    services.follow_by_email(report=report, email="follower@example.org")
    services.email_enqueue(to="new@example.org", subject="Sign in", body="link", key="l", kind="signin")
    deliver()
    got = {m.to[0]: m for m in mailoutbox}
    assert "/notifications/follow/confirm/" in got["follower@example.org"].body
    assert got["new@example.org"].subject == "Sign in"
    assert "/notifications/address/confirm/" in got["someone@example.org"].body  # the author's is held
    assert address("follower@example.org").state == "unconfirmed"
    token = re.search(r"/follow/confirm/([^/\s]+)/", got["follower@example.org"].body).group(1)
    services.follow_confirm(token=token)
    assert address("follower@example.org").state == "confirmed"


def test_held_mails_expire_and_are_dropped_with_their_reason(
    file_report, frozen_spring, deliver, mailoutbox, settings
):
    settings.GOROD_MAIL_HOLD_DAYS = 7
    file_report(contact_email=STRANGER, description=SPAM)
    deliver()
    with clock.frozen(frozen_spring + dt.timedelta(days=6)):
        deliver()
    assert Delivery.objects.get(kind="author").state == "held"
    with clock.frozen(frozen_spring + dt.timedelta(days=7, minutes=1)):
        deliver()
    held = Delivery.objects.get(kind="author")
    assert (
        held.state == "dropped" and held.last_error == "not sent: the address was not confirmed within 7 days"
    )
    assert held.sent_at is None and len(mailoutbox) == 1  # the confirmation request only


def _confirmed(email: str) -> MailAddress:
    return MailAddress.objects.create(address_hash=crypto.lookup_hash(email), state="confirmed")


def test_mails_beyond_the_hourly_cap_wait_and_alerts_beyond_it_are_dropped(
    frozen_spring, deliver, mailoutbox, settings
):
    settings.GOROD_MAIL_CAP_PER_HOUR = 3
    settings.GOROD_MAIL_CAP_PER_DAY = 5
    _confirmed("busy@example.org")
    for i in range(5):
        services.email_enqueue(to="busy@example.org", subject=f"m{i}", body="b", key=f"m{i}")
    deliver()
    assert [m.subject for m in mailoutbox] == ["m0", "m1", "m2"]
    waiting = Delivery.objects.filter(state="pending").order_by("pk")
    assert [d.last_error for d in waiting] == ["waits: over the hourly cap of the address"] * 2
    assert all(d.attempts == 0 for d in waiting)  # waiting is not a failed attempt
    deliver(frozen_spring + dt.timedelta(minutes=59))
    assert len(mailoutbox) == 3
    deliver(frozen_spring + dt.timedelta(minutes=61))
    assert [m.subject for m in mailoutbox][3:] == ["m3", "m4"]
    # The day's cap (5) is reached: a sixth waits until the next day.
    services.email_enqueue(to="busy@example.org", subject="m5", body="b", key="m5")
    deliver(frozen_spring + dt.timedelta(hours=3))
    assert len(mailoutbox) == 5
    assert Delivery.objects.get(key__isnull=False, state="pending").last_error.endswith(
        "daily cap of the address"
    )
    deliver(frozen_spring + dt.timedelta(days=1, minutes=1))
    assert [m.subject for m in mailoutbox][-1] == "m5"


def test_an_immediate_alert_beyond_the_cap_is_dropped_not_delayed(frozen_spring, settings):
    settings.GOROD_MAIL_CAP_PER_HOUR = 1
    address = _confirmed("watcher@example.org")
    first = services.email_enqueue(to="watcher@example.org", subject="a", body="b", key="a")
    assert addresses.admit(first, frozen_spring).action == "send"
    alert = services.email_enqueue(to="watcher@example.org", subject="b", body="b", key="b")
    Delivery.objects.filter(pk=alert.pk).update(kind="alert")
    alert.refresh_from_db()
    verdict = addresses.admit(alert, frozen_spring)
    assert verdict.action == "drop" and "hourly cap" in verdict.reason
    address.refresh_from_db()
    assert address.hour_count == 1


def test_every_mail_has_list_unsubscribe_and_a_stop_everything_footer_and_one_click_stops_all(
    file_report, frozen_spring, deliver, mailoutbox
):
    _confirmed("ivan@example.org")
    report = file_report()
    services.email_enqueue(to="ivan@example.org", subject="Plain", body="b", key="plain")
    deliver()
    author, plain = mailoutbox
    # The author mail keeps its own one-click unsubscribe (this report); the plain one names "everything".
    assert "/notifications/unsubscribe/" in author.extra_headers["List-Unsubscribe"]
    assert author.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop = link_in(plain, "stop")
    assert plain.extra_headers["List-Unsubscribe"] == f"<{settings.GOROD_SITE_URL}{stop}>"
    assert link_in(author, "stop") == stop
    assert "Больше не присылать никаких писем на этот адрес:" in author.body
    assert "Stop all e-mails from us to this address:" in author.body

    provider = Client(enforce_csrf_checks=True)  # a mail provider's one-click POST: no cookie, no CSRF
    answer = provider.post(stop, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert address("ivan@example.org").state == "stopped"
    report_transition(report=report, action="accept")
    services.email_enqueue(to="ivan@example.org", subject="Sign in", body="b", key="s", kind="signin")
    deliver()
    assert len(mailoutbox) == 2
    assert set(Delivery.objects.filter(state="dropped").values_list("last_error", flat=True)) == {
        "not sent: the address unsubscribed from all e-mails"
    }
    # Undone by confirming again (the button on the page the stop answered with).
    undo = re.search(r'action="(/notifications/address/confirm/[^"]+)"', answer.content.decode()).group(1)
    assert Client().post(undo).status_code == 200
    assert address("ivan@example.org").state == "confirmed"
    services.email_enqueue(to="ivan@example.org", subject="Again", body="b", key="again")
    deliver()
    assert mailoutbox[-1].subject == "Again"


@pytest.mark.parametrize("kind", ["confirm", "stop"])
def test_forged_edited_and_old_links_get_a_clear_page_and_change_nothing(kind, frozen_spring, client):
    row = MailAddress.objects.create(address_hash=crypto.lookup_hash(STRANGER))
    salt = links.ADDRESS_CONFIRM_SALT if kind == "confirm" else links.ADDRESS_STOP_SALT
    good = links.address_token(row.pk, salt=salt)
    other_purpose = links.address_token(
        row.pk, salt=links.ADDRESS_STOP_SALT if kind == "confirm" else links.ADDRESS_CONFIRM_SALT
    )
    for token in [good[:-2] + ("AA" if not good.endswith("AA") else "BB"), other_purpose, "x", "é" * 300]:
        for method in (client.get, client.post):
            answer = method(f"/notifications/address/{kind}/{token}/")
            assert answer.status_code == 400, token
            assert 'role="alert"' in answer.content.decode()
    with clock.frozen(frozen_spring + dt.timedelta(days=401)):
        answer = client.post(f"/notifications/address/{kind}/{good}/")
    assert answer.status_code == 400
    row.refresh_from_db()
    assert row.state == "unconfirmed"
    MailAddress.objects.all().delete()  # forgotten (erased): the link names nothing any more
    assert client.post(f"/notifications/address/{kind}/{good}/").status_code == 400


def test_an_expired_confirmation_link_says_so(frozen_spring, client, settings):
    settings.GOROD_MAIL_CONFIRM_MAX_AGE_DAYS = 7
    row = MailAddress.objects.create(address_hash=crypto.lookup_hash(STRANGER))
    token = links.address_token(row.pk, salt=links.ADDRESS_CONFIRM_SALT)
    with clock.frozen(frozen_spring + dt.timedelta(days=8)):
        answer = client.post(f"/notifications/address/confirm/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400 and "expired" in answer.content.decode()
    row.refresh_from_db()
    assert row.state == "unconfirmed"


def test_the_pages_answer_in_both_languages(frozen_spring, client):
    row = MailAddress.objects.create(address_hash=crypto.lookup_hash(STRANGER))
    token = links.address_token(row.pk, salt=links.ADDRESS_CONFIRM_SALT)
    ru = client.get(f"/notifications/address/confirm/{token}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    en = client.get(f"/notifications/address/confirm/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Confirm your e-mail address" in en
    assert "Confirm your e-mail address" not in ru and "Подтвердите" in ru


def test_a_delivery_is_never_both_held_and_sent(frozen_spring, settings, mailoutbox):
    settings.GOROD_DELIVERY_LEASE_S = 60
    delivery = services.email_enqueue(to=STRANGER, subject="News", body=SPAM, key="n")
    # A worker claims it and dies before deciding anything: after the lease, another one holds it.
    machinery.claim("dead", frozen_spring, 10)
    assert machinery.deliver_due(frozen_spring + dt.timedelta(seconds=30)) == 0
    assert Delivery.objects.get(pk=delivery.pk).state == "pending"
    machinery.deliver_due(frozen_spring + dt.timedelta(seconds=61))
    delivery.refresh_from_db()
    assert delivery.state == "held" and delivery.sent_at is None and delivery.claim == ""
    assert delivery.attempts == 1  # the dead worker's claim; holding is no attempt
    assert [m.subject for m in mailoutbox if "слонов" in m.body] == []
    # The dead worker wakes up and tries to mark its claim sent: refused, the row stays held.
    assert machinery._mark_sent(delivery, "dead") is False
    assert Delivery.objects.get(pk=delivery.pk).state == "held"
    # Held rows are never claimed (the confirmation request was sent above; nothing else is due).
    assert machinery.claim("another", frozen_spring + dt.timedelta(days=1), 10) == []

    # Confirmed while a worker holds the claim of a pending mail: the release leaves that row alone.
    _ = MailAddress.objects.filter(address_hash=crypto.lookup_hash(STRANGER)).update(state="confirmed")
    services.email_enqueue(to=STRANGER, subject="Second", body="b", key="second")
    (claimed,) = [
        d for d in machinery.claim("w", frozen_spring + dt.timedelta(days=2), 10) if d.kind == "email"
    ]
    assert addresses.release_held([crypto.lookup_hash(STRANGER)], frozen_spring) == 1  # the first, held one
    assert Delivery.objects.get(pk=claimed.pk).claim == "w"
    assert machinery.admit(claimed, "w", frozen_spring + dt.timedelta(days=2)).action == "send"
    assert machinery._mark_sent(claimed, "w") is True
    states = dict(Delivery.objects.filter(kind="email").values_list("key", "state"))
    assert sorted(states.values()) == ["pending", "sent"]
    assert not Delivery.objects.filter(state="held", sent_at__isnull=False).exists()


def test_erasure_keeps_a_stop_and_forgets_the_rest(frozen_spring):
    stopped = MailAddress.objects.create(address_hash=crypto.lookup_hash("a@example.org"), state="stopped")
    MailAddress.objects.create(address_hash=crypto.lookup_hash("b@example.org"), state="confirmed")
    MailAddress.objects.create(address_hash=crypto.lookup_hash("c@example.org"))
    gone = services.addresses_forget(
        address_hashes=[crypto.lookup_hash(e) for e in ("a@example.org", "b@example.org", "c@example.org")]
    )
    assert gone == 2
    assert list(MailAddress.objects.all()) == [stopped]


def test_an_unconfirmed_address_gets_at_most_a_few_mails_a_day_however_many_forms_name_it(
    file_report, frozen_spring, deliver, mailoutbox, settings
):
    settings.GOROD_MAIL_CAP_UNCONFIRMED_PER_DAY = 5
    for _ in range(12):  # a script follows a dozen reports "for" a stranger
        services.follow_by_email(report=file_report(contact_email=""), email=STRANGER)
    deliver()
    assert len(mailoutbox) == 5
    dropped = Delivery.objects.filter(recipient_hash=crypto.lookup_hash(STRANGER), state="dropped")
    assert dropped.count() == 7
    assert set(dropped.values_list("last_error", flat=True)) == {
        "not sent: over the daily cap of an unconfirmed address"
    }


def test_a_crash_while_deciding_is_a_failed_attempt_and_the_worker_goes_on(
    frozen_spring, monkeypatch, mailoutbox
):
    _confirmed("ok@example.org")
    broken = services.email_enqueue(to=STRANGER, subject="Broken", body="b", key="broken")
    services.email_enqueue(to="ok@example.org", subject="Fine", body="b", key="fine")
    real = addresses.admit

    def admit(delivery, now):
        if delivery.pk == broken.pk:
            raise RuntimeError("a bug")
        return real(delivery, now)

    monkeypatch.setattr(addresses, "admit", admit)
    assert machinery.deliver_due() == 1
    broken.refresh_from_db()
    assert (broken.state, broken.attempts, broken.last_error) == ("pending", 1, "error: RuntimeError")
    assert [m.subject for m in mailoutbox] == ["Fine"]
