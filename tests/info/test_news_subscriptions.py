"""Area subscriptions: the address is stored encrypted, mail goes through the outbox when news or works
are published in the area (once, also when the worker runs again), and the unsubscribe link works."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gorod.core import clock
from gorod.info.news import services
from gorod.info.news.models import AreaSubscription
from gorod.notifications.models import Delivery

pytestmark = pytest.mark.django_db


def _subscribe(city, **kwargs):
    return services.subscription_create(
        municipality=city, email="resident@example.org", language="ru", **kwargs
    )


def _mails(kind: str = "news") -> list[Delivery]:
    return list(Delivery.objects.filter(kind=kind).order_by("pk"))


def _payload(delivery: Delivery) -> dict:
    return json.loads(delivery.payload)


def test_address_is_encrypted_at_rest(city):
    sub = _subscribe(city, district=city.districts.get(slug="north"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM info_areasubscription WHERE id = %s", [sub.pk])
        stored = cursor.fetchone()[0]
    assert "resident" not in stored and AreaSubscription.objects.get().email == "resident@example.org"


def test_subscribing_enqueues_one_mail_and_twice_is_one_subscription(city):
    north = city.districts.get(slug="north")
    _subscribe(city, district=north)
    _subscribe(city, district=north)
    assert AreaSubscription.objects.count() == 1 and len(_mails()) == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "district"),
        ({"lat": 60.0, "lon": 30.3, "radius_m": 10}, "radius_m"),
        ({"lat": 60.0, "lon": 33.0, "radius_m": 500}, "lat"),
    ],
)
def test_bad_areas_are_refused(city, kwargs, field):
    with pytest.raises(ValidationError) as error:
        _subscribe(city, **kwargs)
    assert field in error.value.message_dict and not AreaSubscription.objects.exists()


def test_bad_address_is_refused(city):
    with pytest.raises(ValidationError):
        services.subscription_create(municipality=city, email="not an address", language="ru", district=None)


def test_news_and_works_are_announced_to_their_areas_once(city, make_news, make_work):
    north, south = city.districts.get(slug="north"), city.districts.get(slug="south")
    north_sub = _subscribe(city, district=north)
    south_sub = services.subscription_create(
        municipality=city, email="south@example.org", language="en", district=south
    )
    point_sub = services.subscription_create(
        municipality=city, email="point@example.org", language="ru", lat=60.001, lon=30.25, radius_m=300
    )
    start = len(_mails())
    make_news(title="Северная новость", district=north)
    make_news(title="Будущая", district=north, published_at=clock.now() + dt.timedelta(days=2))
    make_work(title="Ремонт у точки")
    assert services.announce_due() == 4  # news: north + point (in north); work: north + point (near)
    assert services.announce_due() == 0
    mails = _mails()[start:]
    by_subject = {(m.recipient_hash, _payload(m)["subject"]) for m in mails}
    assert len(by_subject) == 4
    assert all(_payload(m)["unsubscribe"] for m in mails)
    assert all("resident@" not in _payload(m)["unsubscribe"] for m in mails)
    assert not any(m.recipient_hash == south_sub.email_hash for m in mails)
    assert {north_sub.email_hash, point_sub.email_hash} == {m.recipient_hash for m in mails}
    with clock.frozen(clock.now() + dt.timedelta(days=3)):
        assert services.announce_due() == 2  # the scheduled item, on its day


def test_unsubscribe_link_asks_then_stops(client, city, make_news):
    sub = _subscribe(city, district=city.districts.get(slug="north"))
    url = f"/news/unsubscribe/{services.unsubscribe_token(sub)}/"
    assert client.get(url).status_code == 200
    sub.refresh_from_db()
    assert sub.active  # a GET (a mail scanner) changes nothing
    assert client.post(url).status_code == 200
    sub.refresh_from_db()
    assert not sub.active
    make_news(district=sub.district)
    assert services.announce_due() == 0


@pytest.mark.parametrize("token", ["garbage", "eyJzIjoxfQ:forged:sig"])
def test_forged_unsubscribe_links_are_404(client, city, token):
    assert client.get(f"/news/unsubscribe/{token}/").status_code == 404
    assert client.post(f"/news/unsubscribe/{token}/").status_code == 404


def test_subscribe_page_posts_and_refuses_bad_input(client, city):
    assert client.get("/news/subscribe/").status_code == 200
    assert client.get("/news/subscribe/?district=north").status_code == 200
    assert client.post("/news/subscribe/", {"email": "x"}).status_code == 400
    assert (
        client.post("/news/subscribe/", {"email": "a@example.org", "lat": "60", "lon": "30.3"}).status_code
        == 400
    )
    response = client.post(
        "/news/subscribe/", {"email": "a@example.org", "district": city.districts.get(slug="north").pk}
    )
    assert response.status_code == 302
    assert AreaSubscription.objects.count() == 1


def test_worker_task_announces(city, make_news):
    from gorod.info.news.tasks import announce

    _subscribe(city, district=city.districts.get(slug="north"))
    make_news(district=city.districts.get(slug="north"))
    assert announce.call() == 1


def test_a_filled_honeypot_subscribes_nobody(client, city):
    north = city.districts.get(slug="north")
    response = client.post(
        "/news/subscribe/", {"email": "a@example.org", "district": north.pk, "website": "x"}
    )
    assert response.status_code == 302 and not AreaSubscription.objects.exists()


def test_subscribing_is_rate_limited(client, city, settings):
    settings.GOROD_RATE_LIMITS_ENABLED = True
    settings.GOROD_RATE_LIMITS = {**settings.GOROD_RATE_LIMITS, "alert": "2/h"}
    north = city.districts.get(slug="north")
    codes = [
        client.post("/news/subscribe/", {"email": f"a{i}@example.org", "district": north.pk}).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429] and AreaSubscription.objects.count() == 2


def test_the_worker_delivers_the_mail_with_its_unsubscribe_link(
    city, make_news, addresses_confirmed, mailoutbox
):
    from gorod.notifications.delivery import deliver_due

    north = city.districts.get(slug="north")
    _subscribe(city, district=north)
    make_news(title="Нет воды на Северной", summary="С 1 по 10 июля.", district=north)
    services.announce_due()
    deliver_due(budget_s=30)
    news = [m for m in mailoutbox if "Нет воды на Северной" in m.subject]
    assert len(news) == 1
    mail = news[0]
    assert mail.to == ["resident@example.org"] and "С 1 по 10 июля." in mail.body
    assert "/news/unsubscribe/" in mail.body and "/news/unsubscribe/" in mail.extra_headers.get(
        "List-Unsubscribe", ""
    )
