"""The demo citizen's area alerts."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from gorod.accounts.models import User
from gorod.demo import notifications as demo
from gorod.notifications.models import AreaAlert

pytestmark = pytest.mark.django_db


def test_the_demo_seed_adds_alerts_once(city):
    out = io.StringIO()
    demo.seed(municipality=city, seed=1, anchor=dt.date(2026, 5, 13), stdout=out)
    assert "no demo citizen" in out.getvalue() and not AreaAlert.objects.exists()
    User.objects.create_user(username="citizen", email="citizen@example.org")
    for _ in range(2):
        demo.seed(municipality=city, seed=1, anchor=dt.date(2026, 5, 13), stdout=out)
    assert AreaAlert.objects.filter(user__username="citizen").count() == 2
