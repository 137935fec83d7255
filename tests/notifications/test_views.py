"""The pages: follow (signed in, or by e-mail with double opt-in), signed one-click unsubscribe, my
follows and alerts. Bad and forged input gets a clear answer, never a 500, and changes nothing."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.template import Context, Template
from django.test import Client, RequestFactory

from gorod.notifications import links, services
from gorod.notifications.models import AreaAlert, AuthorMute, Follow
from gorod.reports.services import report_transition

pytestmark = pytest.mark.django_db


def _link(body: str, part: str) -> str:
    match = re.search(r"http://127\.0\.0\.1:8000(/notifications/" + part + r"/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_a_signed_in_user_follows_and_unfollows(client, file_report, make_user, frozen_spring):
    report = file_report()
    user = make_user()
    client.force_login(user)
    response = client.post(f"/notifications/follow/{report.pk}/", {"action": "follow"})
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    assert Follow.objects.filter(report=report, user=user, confirmed=True).count() == 1
    client.post(f"/notifications/follow/{report.pk}/", {"action": "follow"})
    assert Follow.objects.filter(report=report, user=user).count() == 1
    client.post(f"/notifications/follow/{report.pk}/", {"action": "unfollow"})
    assert not Follow.objects.filter(report=report, user=user).exists()


def test_follow_needs_post_csrf_and_a_real_report(file_report, make_user, frozen_spring):
    report = file_report()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user())
    assert strict.post(f"/notifications/follow/{report.pk}/", {"action": "follow"}).status_code == 403
    assert strict.get(f"/notifications/follow/{report.pk}/").status_code == 405
    client = Client()
    client.force_login(make_user())
    assert client.post("/notifications/follow/999999/").status_code == 404
    assert client.post(f"/notifications/follow/{2**64}/").status_code == 404
    assert not Follow.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client, file_report, frozen_spring):
    report = file_report()
    response = client.post(f"/notifications/follow/{report.pk}/", {"action": "follow"})
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    assert client.get("/notifications/").status_code == 302


def test_following_by_email_needs_the_confirmation_link(
    client, file_report, deliver, mailoutbox, frozen_spring
):
    report = file_report()
    deliver()
    mailoutbox.clear()
    response = client.post(f"/notifications/follow/{report.pk}/email/", {"email": "fan@example.org"})
    assert response.status_code == 302
    follow = Follow.objects.get(report=report, user=None)
    assert not follow.confirmed
    deliver()
    (mail,) = mailoutbox
    assert mail.to == ["fan@example.org"]
    confirm = _link(mail.body, "follow/confirm")
    assert "fan" not in confirm and "example" not in confirm  # no personal data in the URL
    # A second request the same day sends no second mail (the form cannot flood a mailbox).
    client.post(f"/notifications/follow/{report.pk}/email/", {"email": "FAN@example.org "})
    assert deliver() == 0
    # Opening the link does not confirm (mail scanners open links); pressing the button does.
    page = client.get(confirm)
    assert page.status_code == 200 and b"<form" in page.content
    follow.refresh_from_db()
    assert not follow.confirmed
    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    follow.refresh_from_db()
    assert follow.confirmed
    report_transition(report=report, action="accept")
    mailoutbox.clear()
    deliver()
    assert sorted(m.to[0] for m in mailoutbox) == ["fan@example.org", "ivan@example.org"]


@pytest.mark.parametrize("email", ["", "nope", "a@b", "x" * 300 + "@example.org", "a\x00@example.org"])
def test_a_bad_follow_address_is_refused_without_a_500(client, file_report, email, frozen_spring):
    report = file_report()
    response = client.post(f"/notifications/follow/{report.pk}/email/", {"email": email})
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_tampered_and_expired_confirmation_links_are_refused(client, file_report, settings, frozen_spring):
    report = file_report()
    follow = services.follow_by_email(report=report, email="fan@example.org")
    good = links.confirm_url(follow.pk).removeprefix(settings.GOROD_SITE_URL)
    token = good.rstrip("/").rsplit("/", 1)[1]
    forged = signing.dumps({"id": follow.pk + 1}, salt="another-salt")
    for bad in (token[:-2] + "xx", forged, "garbage", signing.dumps({"id": "1"}, salt=links.CONFIRM_SALT)):
        assert client.get(f"/notifications/follow/confirm/{bad}/").status_code == 400
        assert client.post(f"/notifications/follow/confirm/{bad}/").status_code == 400
    settings.GOROD_FOLLOW_CONFIRM_MAX_AGE_HOURS = 0
    response = client.post(good)
    text = response.content.decode().lower()
    assert response.status_code == 400 and ("expired" in text or "истёк" in text)
    follow.refresh_from_db()
    assert not follow.confirmed


def test_one_click_unsubscribe_from_an_author_mail(file_report, deliver, mailoutbox, frozen_spring):
    report = file_report()
    deliver()
    (mail,) = mailoutbox
    url = mail.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")
    assert url == _link(mail.body, "unsubscribe")
    # A mail provider POSTs with no cookie and no CSRF token (RFC 8058).
    provider = Client(enforce_csrf_checks=True)
    page = provider.get(url)
    assert page.status_code == 200 and not AuthorMute.objects.exists()
    response = provider.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and AuthorMute.objects.filter(report=report).exists()
    assert provider.post(url).status_code == 200  # twice is fine
    mailoutbox.clear()
    report_transition(report=report, action="accept")
    deliver()
    assert mailoutbox == []


def test_unsubscribe_stops_a_follow_and_an_alert(city, file_report, make_user, frozen_spring):
    report = file_report()
    user = make_user()
    follow = services.follow_user(report=report, user=user)
    alert = services.alert_create(
        user=user, municipality=city, frequency="daily", lat=60.0, lon=30.3, radius_m=300
    )
    client = Client()
    for kind, pk in ((links.FOLLOW, follow.pk), (links.ALERT, alert.pk)):
        url = links.unsubscribe_url(kind, pk).removeprefix("http://127.0.0.1:8000")
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 200
        gone = client.get(url)
        text = gone.content.decode()
        assert gone.status_code == 200 and ("already" in text or "уже" in text)
    assert not Follow.objects.exists() and not AreaAlert.objects.exists()


def test_tampered_and_expired_unsubscribe_links_are_refused(file_report, make_user, settings, frozen_spring):
    report = file_report()
    follow = services.follow_user(report=report, user=make_user())
    token = links.unsubscribe_token(links.FOLLOW, follow.pk)
    client = Client()
    forged_other_row = signing.dumps({"k": "f", "id": follow.pk + 1}, salt="not-the-salt")
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), forged_other_row, "x:y:z",
                signing.dumps({"k": "zz", "id": follow.pk}, salt=links.UNSUBSCRIBE_SALT)):  # fmt: skip
        assert client.post(f"/notifications/unsubscribe/{bad}/").status_code == 400
        assert client.get(f"/notifications/unsubscribe/{bad}/").status_code == 400
    settings.GOROD_UNSUBSCRIBE_MAX_AGE_DAYS = 0
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 400
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_my_page_lists_follows_and_alerts_and_creates_alerts(
    client, city, file_report, make_user, frozen_spring
):
    user = make_user()
    client.force_login(user)
    report = file_report(description="<script>x</script>")
    services.follow_user(report=report, user=user)
    from gorod.city.models import District

    north = District.objects.get(municipality=city, slug="north")
    response = client.post(
        "/notifications/alerts/new/", {"kind": "district", "district": north.pk, "frequency": "daily"}
    )
    assert response.status_code == 302
    response = client.post(
        "/notifications/alerts/new/",
        {"kind": "radius", "lat": "60.0", "lon": "30.3", "radius_m": "700", "frequency": "immediate"},
    )
    assert response.status_code == 302
    page = client.get("/notifications/")
    text = page.content.decode()
    assert page.status_code == 200 and f"№&nbsp;{report.pk}" in text and "700" in text
    assert "<script>x</script>" not in text
    assert AreaAlert.objects.filter(user=user).count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "district", "frequency": "daily"},
        {"kind": "radius", "lat": "abc", "lon": "30.3", "radius_m": "500", "frequency": "daily"},
        {"kind": "radius", "lat": "60", "lon": "30.3", "radius_m": "99999", "frequency": "daily"},
        {"kind": "radius", "lat": "10", "lon": "10", "radius_m": "500", "frequency": "daily"},
        {"kind": "radius", "lat": "60", "lon": "30.3", "radius_m": "500", "frequency": "weekly"},
        {"kind": "volcano", "frequency": "daily"},
        {"kind": "district", "district": "999999", "frequency": "daily"},
    ],
)
def test_bad_alert_forms_are_refused_with_errors(client, city, make_user, data):
    client.force_login(make_user())
    response = client.post("/notifications/alerts/new/", data)
    assert response.status_code == 400 and b"error-summary" in response.content
    assert not AreaAlert.objects.exists()


def test_nobody_deletes_anothers_alert(client, city, make_user):
    owner, other = make_user(), make_user()
    alert = services.alert_create(
        user=owner, municipality=city, frequency="daily", lat=60.0, lon=30.3, radius_m=300
    )
    client.force_login(other)
    assert client.post(f"/notifications/alerts/{alert.pk}/delete/").status_code == 404
    assert AreaAlert.objects.filter(pk=alert.pk).exists()
    client.force_login(owner)
    assert client.post(f"/notifications/alerts/{alert.pk}/delete/").status_code == 302
    assert not AreaAlert.objects.exists()


def test_the_follow_partial_renders_for_users_and_visitors(file_report, make_user, frozen_spring):
    from django.contrib.auth.models import AnonymousUser

    report = file_report()
    user = make_user()
    template = Template('{% include "notifications/_follow_button.html" %}')
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    visitor = template.render(Context({"report": report, "request": request}))
    assert 'type="email"' in visitor and f"/notifications/follow/{report.pk}/email/" in visitor
    request.user = user
    signed = template.render(Context({"report": report, "request": request}))
    assert 'value="follow"' in signed
    services.follow_user(report=report, user=user)
    assert 'value="unfollow"' in template.render(Context({"report": report, "request": request}))
