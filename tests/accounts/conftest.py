"""People of the test city for the accounts tests, and helpers to read the e-mails the outbox sends."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from gorod.accounts.models import User

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read the English messages; test_i18n checks the Russian catalogue separately.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def make_user(db):
    def make(
        username: str, *, role: str = User.Role.CITIZEN, department=None, email: str = "", **extra
    ) -> User:
        return User.objects.create_user(
            username=username, password=PASSWORD, role=role, department=department, email=email, **extra
        )

    return make


@pytest.fixture
def citizen(make_user):
    return make_user("anna", email="Anna.Citizen@Example.org", display_name="Анна")


@pytest.fixture
def staff_member(city, make_user):
    roads = city.departments.get(slug="roads")
    return make_user("pyotr", role=User.Role.EXECUTOR, department=roads, email="pyotr@example.org")


def delivered_mails() -> list:
    """Run the outbox as the worker would and return what was sent."""
    from gorod.notifications.tasks import deliver_due

    deliver_due()
    return list(mail.outbox)


LINK = re.compile(r"https?://[^\s]+/account/login/link/([A-Za-z0-9_\-]+)/")


def link_path(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return f"/account/login/link/{match.group(1)}/"
