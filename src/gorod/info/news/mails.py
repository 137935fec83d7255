"""The mails of area subscriptions, put in the outbox (core.mail.enqueue_email) in the caller's
transaction. Each has a key naming the subscription and the item, so a re-run adds nothing, and an
unsubscribe link that carries only the subscription's signed id."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from gorod.city import selectors as city_selectors
from gorod.city.districts import district_at
from gorod.core.mail import enqueue_email
from gorod.info.news import geometry, selectors
from gorod.info.news.models import AreaSubscription, NewsItem, PlannedWork

KIND = "news"


def _url(subscription: AreaSubscription, path: str) -> str:
    return city_selectors.site_address(subscription.municipality) + path


def _unsubscribe_url(subscription: AreaSubscription) -> str:
    from gorod.info.news.services import unsubscribe_token

    return _url(subscription, reverse("news:unsubscribe", args=[unsubscribe_token(subscription)]))


def _send(subscription: AreaSubscription, *, key: str, subject: str, template: str, context: dict) -> None:
    with translation.override(subscription.language):
        unsubscribe = _unsubscribe_url(subscription)
        body = render_to_string(template, {**context, "unsubscribe_url": unsubscribe})
        enqueue_email(
            to=subscription.email,
            subject=str(subject),
            body=body,
            key=key,
            municipality_id=subscription.municipality_id,
            unsubscribe_url=unsubscribe,
            kind=KIND,
        )


def subscribed(subscription: AreaSubscription) -> None:
    with translation.override(subscription.language):
        area = (
            subscription.district.label
            if subscription.district
            else _("%(r)d m around the point you chose") % {"r": subscription.radius_m}
        )
        _send(
            subscription,
            key=f"news-subscribed:{subscription.pk}",
            subject=_("You are subscribed to news of %(area)s") % {"area": area},
            template="email/news_subscribed.txt",
            context={"area": area, "city": subscription.municipality.label},
        )


def _news_subscribers(item: NewsItem) -> list[AreaSubscription]:
    city = item.municipality
    subs = list(
        selectors.subscribers_for_district(city, item.district_id).select_related("district", "municipality")
    )
    for sub in selectors.point_subscribers(city).select_related("municipality"):
        if sub.lat is None or sub.lon is None:
            continue
        if item.district_id is None or district_at(city.pk, sub.lat, sub.lon) == item.district_id:
            subs.append(sub)
    return subs


def announce_news(item: NewsItem) -> int:
    count = 0
    for sub in _news_subscribers(item):
        with translation.override(sub.language):
            _send(
                sub,
                key=f"news-item:{item.pk}:{sub.pk}",
                subject=_("News: %(title)s") % {"title": item.title},
                template="email/news_item.txt",
                context={"item": item, "url": _url(sub, reverse("news:detail", args=[item.pk]))},
            )
        count += 1
    return count


def _work_subscribers(work: PlannedWork) -> list[AreaSubscription]:
    city = work.municipality
    subs = list(selectors.subscribers_for_district(city, work.district_id).select_related("municipality"))
    for sub in selectors.point_subscribers(city).select_related("municipality"):
        if sub.lat is None or sub.lon is None:
            continue
        if geometry.distance_m(work.geometry, sub.lat, sub.lon) <= (sub.radius_m or 0):
            subs.append(sub)
    return subs


def announce_work(work: PlannedWork) -> int:
    count = 0
    for sub in _work_subscribers(work):
        with translation.override(sub.language):
            _send(
                sub,
                key=f"news-work:{work.pk}:{sub.pk}",
                subject=_("Planned works: %(title)s") % {"title": work.title},
                template="email/news_work.txt",
                context={
                    "work": work,
                    "kind": work.get_kind_display(),
                    "url": _url(sub, reverse("news:work", args=[work.pk])),
                },
            )
        count += 1
    return count
