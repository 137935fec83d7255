import datetime as dt
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from gorod.core import clock

AT = dt.datetime(2026, 5, 13, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def _ago(value):
    return Template("{% load gorod_time %}{{ value|ago }}").render(Context({"value": value}))


def test_ago_is_measured_from_the_project_clock():
    with clock.frozen(AT), translation.override("en"):
        assert _ago(AT - dt.timedelta(hours=3, minutes=5)) == "3\xa0hours ago"
        assert _ago(AT - dt.timedelta(seconds=20)) == "now"
    with clock.frozen(AT), translation.override("ru"):
        assert _ago(AT - dt.timedelta(days=2)) == "2\xa0дня назад"


def test_frozen_clock_needs_an_aware_time():
    import pytest

    with pytest.raises(ValueError), clock.frozen(dt.datetime(2026, 1, 1)):
        pass
