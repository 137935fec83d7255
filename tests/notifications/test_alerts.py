"""Area alerts: a district or a radius, immediate (fanned out by the worker) or a daily digest."""

from __future__ import annotations

import datetime as dt

import pytest

from gorod.city.models import District
from gorod.core import clock
from gorod.notifications import fanout, services
from gorod.notifications.models import AreaAlert, Delivery
from gorod.reports.models import ReportEvent
from gorod.reports.services import report_create
from tests.conftest import SPRING_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def north(city):
    return District.objects.get(municipality=city, slug="north")


def test_a_district_alert_mails_new_reports_there_once(
    city, north, file_report, make_user, deliver, mailoutbox, frozen_spring
):
    watcher = make_user(email="w@example.org")
    services.alert_create(user=watcher, municipality=city, frequency="immediate", district=north)
    report = file_report(description="<b>Яма</b> у школы", fan_out=False)
    assert not Delivery.objects.filter(kind="alert").exists()  # nothing per subscriber in the request
    deliver()
    alert_mails = [m for m in mailoutbox if m.to == ["w@example.org"]]
    assert len(alert_mails) == 1 and f"/reports/{report.pk}/" in alert_mails[0].body
    assert "<b>Яма</b> у школы" in alert_mails[0].body
    assert "List-Unsubscribe" in alert_mails[0].extra_headers
    assert ReportEvent.objects.get(report=report, action="submit").dispatched
    deliver()
    assert len([m for m in mailoutbox if m.to == ["w@example.org"]]) == 1


def test_a_district_alert_ignores_other_districts(
    city, north, file_report, make_user, deliver, mailoutbox, frozen_spring
):
    watcher = make_user(email="w@example.org")
    services.alert_create(user=watcher, municipality=city, frequency="immediate", district=north)
    file_report(lat=59.90, lon=30.30)  # south
    deliver()
    assert not [m for m in mailoutbox if m.to == ["w@example.org"]]


def test_a_radius_alert_matches_by_distance(city, file_report, make_user, deliver, mailoutbox, frozen_spring):
    near = make_user(email="near@example.org")
    far = make_user(email="far@example.org")
    services.alert_create(
        user=near, municipality=city, frequency="immediate", lat=60.0, lon=30.305, radius_m=400
    )
    services.alert_create(
        user=far, municipality=city, frequency="immediate", lat=60.0, lon=30.32, radius_m=400
    )
    file_report(lat=60.0, lon=30.30)  # ~280 m from the first centre, ~1.1 km from the second
    deliver()
    recipients = {m.to[0] for m in mailoutbox}
    assert "near@example.org" in recipients and "far@example.org" not in recipients


def test_no_alert_about_ones_own_report(
    city, north, new_report, make_user, deliver, mailoutbox, frozen_spring
):
    author = make_user(email="me@example.org")
    services.alert_create(user=author, municipality=city, frequency="immediate", district=north)
    report_create(municipality=city, data=new_report(contact_email=""), author=author)
    deliver()
    assert not Delivery.objects.filter(kind="alert").exists()


def test_a_fan_out_that_dies_midway_is_done_again_without_doubles(
    city, north, file_report, make_user, frozen_spring, monkeypatch
):
    for n in range(3):
        services.alert_create(
            user=make_user(email=f"w{n}@example.org"),
            municipality=city,
            frequency="immediate",
            district=north,
        )
    file_report(fan_out=False)
    calls = {"n": 0}
    real = fanout._mail

    def dying(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the process is killed after one mail was written
        return real(**kwargs)

    monkeypatch.setattr(fanout, "_mail", dying)
    with pytest.raises(KeyboardInterrupt):
        fanout.fan_out()
    assert not Delivery.objects.filter(kind="alert").exists() and not ReportEvent.objects.get().dispatched
    monkeypatch.setattr(fanout, "_mail", real)
    assert fanout.fan_out() == 3
    assert fanout.fan_out() == 0


def test_a_daily_digest_collects_a_days_reports(city, north, file_report, make_user, deliver, mailoutbox):
    watcher = make_user(email="d@example.org")
    with clock.frozen(SPRING_DAY):
        services.alert_create(user=watcher, municipality=city, frequency="daily", district=north)
    with clock.frozen(SPRING_DAY + dt.timedelta(hours=2)):
        first = file_report(description="первая")
        second = file_report(description="вторая")
        deliver()
    assert not [m for m in mailoutbox if m.to == ["d@example.org"]]  # daily, not immediate
    with clock.frozen(SPRING_DAY + dt.timedelta(hours=23)):
        assert fanout.send_digests() == 0  # not a day yet
    with clock.frozen(SPRING_DAY + dt.timedelta(days=1, minutes=1)):
        assert fanout.send_digests() == 1
        assert fanout.send_digests() == 0  # the job may run twice
        deliver()
    (digest,) = [m for m in mailoutbox if m.to == ["d@example.org"]]
    assert f"№{first.pk}" in digest.body and f"№{second.pk}" in digest.body
    with clock.frozen(SPRING_DAY + dt.timedelta(days=2, minutes=2)):
        assert fanout.send_digests() == 0  # no news, no mail
    assert AreaAlert.objects.get().digest_since == SPRING_DAY + dt.timedelta(days=2, minutes=2)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(lat=60.0, lon=30.3, radius_m=10), "radius_m"),
        (dict(lat=60.0, lon=30.3, radius_m=50000), "radius_m"),
        (dict(lat=95.0, lon=30.3, radius_m=500), "location"),
        (dict(lat=None, lon=None, radius_m=500), "location"),
        (dict(lat=10.0, lon=10.0, radius_m=500), "location"),  # outside the city
        (dict(lat=60.0, lon=30.3, radius_m=500, frequency="hourly"), "frequency"),
    ],
)
def test_bad_alerts_are_refused_and_nothing_is_saved(city, make_user, kwargs, field):
    kwargs = {"frequency": "immediate", **kwargs}
    with pytest.raises(services.NotificationInvalid) as exc:
        services.alert_create(user=make_user(), municipality=city, **kwargs)
    assert field in exc.value.message_dict
    assert not AreaAlert.objects.exists()


def test_a_district_of_another_city_is_refused(city, make_user):
    from gorod.city.models import Municipality

    other = Municipality.objects.create(
        slug="other", name="Другой", jurisdiction_id="other", center_lat=1, center_lon=1
    )
    foreign = District.objects.create(municipality=other, slug="x", name="X", boundary={})
    with pytest.raises(services.NotificationInvalid):
        services.alert_create(user=make_user(), municipality=city, frequency="daily", district=foreign)


def test_alerts_per_user_are_limited(city, north, make_user):
    user = make_user()
    for _ in range(services.MAX_ALERTS_PER_USER):
        services.alert_create(user=user, municipality=city, frequency="daily", district=north)
    with pytest.raises(services.NotificationInvalid):
        services.alert_create(user=user, municipality=city, frequency="daily", district=north)
