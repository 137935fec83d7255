"""Staff who may write news (a moderator, a city administrator) and who may not (an executor, a
citizen), and helpers to build news and works through the real services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gorod.accounts.models import User
from gorod.core import clock
from tests.helpers import login_verified

# Inside the test city's north district (lat 59.95–60.05, lon 30.2–30.4).
NORTH_LINE = {"type": "LineString", "coordinates": [[30.25, 60.0], [30.26, 60.001], [30.27, 60.002]]}
NORTH_AREA = {
    "type": "Polygon",
    "coordinates": [[[30.3, 60.0], [30.31, 60.0], [30.31, 60.01], [30.3, 60.01], [30.3, 60.0]]],
}


@pytest.fixture
def news_staff(city):
    roads = city.departments.get(slug="roads")
    spec = {
        "moderator": (User.Role.MODERATOR, None),
        "admin": (User.Role.CITY_ADMIN, None),
        "executor": (User.Role.EXECUTOR, roads),
        "head": (User.Role.DEPARTMENT_HEAD, roads),
        "auditor": (User.Role.AUDITOR, None),
        "citizen": (User.Role.CITIZEN, None),
    }
    return {
        name: User.objects.create_user(
            username=f"news-{name}", password="x", role=role, department=department
        )
        for name, (role, department) in spec.items()
    }


@pytest.fixture
def staff_client(news_staff):
    def make(role: str) -> Client:
        client = Client()
        if role == "citizen":
            client.force_login(news_staff[role])
            return client
        return login_verified(client, news_staff[role])

    return make


@pytest.fixture
def make_news(city, news_staff):
    from gorod.info.news import services

    def make(**overrides):
        fields = dict(title="Новость", body="Текст новости", published_at=clock.now() - dt.timedelta(hours=1))
        fields.update(overrides)
        return services.news_create(
            municipality=city, author=news_staff["admin"], data=services.NewsData(**fields)
        )

    return make


@pytest.fixture
def make_work(city, news_staff):
    from gorod.info.news import services

    def make(**overrides):
        today = clock.today()
        fields = dict(
            kind="roadworks",
            title="Ремонт дороги",
            geometry=NORTH_LINE,
            starts_on=today - dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=10),
            published_at=clock.now() - dt.timedelta(hours=1),
            address="Северная улица, 5",
        )
        fields.update(overrides)
        return services.work_create(
            municipality=city, author=news_staff["admin"], data=services.WorkData(**fields)
        )

    return make
