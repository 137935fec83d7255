"""The demo's news and planned works: every shape lies in St Petersburg's districts as spb.yaml draws
them, one news item waits for its day, and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from gorod.accounts.models import User
from gorod.city.services import city_import_file
from gorod.core import clock
from gorod.demo import news
from gorod.demo.city import SPB_FILE
from gorod.info.news import selectors
from gorod.info.news.models import NewsItem, PlannedWork

pytestmark = pytest.mark.django_db


def test_demo_news_and_works_are_seeded_once_with_real_shapes():
    city = city_import_file(SPB_FILE)
    User.objects.create_user(username="admin", password="x", role=User.Role.CITY_ADMIN)
    anchor = dt.date(2026, 6, 10)
    with clock.frozen(dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)):
        out = io.StringIO()
        news.seed(municipality=city, seed=1, anchor=anchor, stdout=out)
        assert NewsItem.objects.count() == len(news.NEWS)
        assert PlannedWork.objects.count() == len(news.WORKS), out.getvalue()
        assert selectors.published_news(city).count() == len(news.NEWS) - 1  # one scheduled
        districts = set(PlannedWork.objects.values_list("district__slug", flat=True))
        assert {"tsentralny", "vasileostrovsky", "petrogradsky", "moskovsky", "nevsky"} <= districts
        # Nevsky Prospect's works are "here" for a report at the Anichkov Bridge.
        near = selectors.works_near(city, 59.9331, 30.3440)
        assert [n.work.kind for n in near] == ["roadworks"]
        news.seed(municipality=city, seed=1, anchor=anchor, stdout=out)
        assert NewsItem.objects.count() == len(news.NEWS) and PlannedWork.objects.count() == len(news.WORKS)
        assert NewsItem.objects.filter(photos__isnull=False).distinct().count() == 2
