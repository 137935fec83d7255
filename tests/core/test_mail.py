"""core.mail.enqueue_email: the e-mail port for apps below notifications. It calls the function named by
GOROD_OUTBOX_EMAIL, with the same keywords, inside the caller's transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from gorod.core import mail
from gorod.notifications.models import Delivery

pytestmark = pytest.mark.django_db
CALLS: list[dict] = []


def record(**kwargs) -> None:
    CALLS.append(kwargs)


@pytest.fixture
def recorder(settings):
    settings.GOROD_OUTBOX_EMAIL = f"{__name__}.record"
    mail._implementation.cache_clear()
    CALLS.clear()
    yield CALLS
    mail._implementation.cache_clear()


def test_the_port_calls_the_implementation_the_settings_name(recorder):
    mail.enqueue_email(to="a@example.org", subject="s", body="b", key="k", municipality_id=3)
    assert recorder == [
        {
            "to": "a@example.org",
            "subject": "s",
            "body": "b",
            "key": "k",
            "municipality_id": 3,
            "unsubscribe_url": "",
            "kind": "email",
        }
    ]


def test_by_default_the_mail_goes_into_the_outbox_once_per_key():
    mail.enqueue_email(to="a@example.org", subject="s", body="b", key="k")
    mail.enqueue_email(to="a@example.org", subject="s", body="b", key="k")
    assert Delivery.objects.filter(kind="email").count() == 1


def test_a_rollback_takes_the_mail_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.enqueue_email(to="a@example.org", subject="s", body="b", key="k")
        raise RuntimeError
    assert not Delivery.objects.exists()
