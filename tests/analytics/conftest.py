"""A small hand-built history for the performance figures (see `history`)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gorod.accounts.models import User
from gorod.core import clock
from gorod.reports.services import feedback, report_create, report_transition

MSK = ZoneInfo("Europe/Moscow")


def at(day: str, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=MSK)


@pytest.fixture
def history(city, new_report):
    """Test city calendar: holidays Fri 1 May and Mon 11 May 2026; Saturday 16 May is a working day.

    Filed Wed 6 May 10:00, so a pothole (roads, 9 days) is due Wed 20 May and litter (yards, 3 days)
    Wed 13 May. North: A, C, D; south: B.
      A pothole north  accepted 6 May, resolved Tue 12 May: 3 working days, on time; confirmed, rated 5
      B pothole south  accepted 7 May, resolved Mon 18 May: 7 working days (16 May counts), on time; rated 2
      C pothole north  accepted 6 May, resolved Thu 21 May: 11 working days, late; disputed 22 May
                       (reopened with a deadline in June), resolved again 25 May
      D litter  north  accepted 6 May, resolved Fri 8 May: 2 working days, on time; rated 4
    """
    people = {name: User.objects.create_user(username=name, password="x-Long-enough-42") for name in "ABCD"}
    reports = {}
    with clock.frozen(at("2026-05-06", 10)):
        for name, lat, code in (
            ("A", 60.0, "pothole"),
            ("B", 59.9, "pothole"),
            ("C", 60.0, "pothole"),
            ("D", 60.0, "litter"),
        ):
            category = city.categories.get(service_code=code)
            attributes = {"depth": "12"} if code == "pothole" else {}
            data = new_report(lat=lat, category=category, attributes=attributes)
            reports[name] = report_create(municipality=city, data=data, author=people[name])
    assert reports["A"].deadline == dt.date(2026, 5, 20) and reports["D"].deadline == dt.date(2026, 5, 13)

    def step(name, when, action, **kw):
        with clock.frozen(when):
            report_transition(report=reports[name], action=action, **kw)

    for name, day in (("A", "2026-05-06"), ("B", "2026-05-07"), ("C", "2026-05-06"), ("D", "2026-05-06")):
        step(name, at(day, 12), "accept")
    for name, day in (("A", "2026-05-12"), ("B", "2026-05-18"), ("C", "2026-05-21"), ("D", "2026-05-08")):
        step(name, at(day, 15), "resolve", public_note="Сделано")
    with clock.frozen(at("2026-05-22", 9)):
        feedback.feedback_dispute(report=reports["C"], reason="Не сделано", user=people["C"])
    step("C", at("2026-05-25", 15), "resolve", public_note="Теперь сделано")
    for name, day, score in (("A", "2026-05-13", 5), ("B", "2026-05-19", 2), ("D", "2026-05-09", 4)):
        with clock.frozen(at(day, 10)):
            feedback.feedback_confirm(report=reports[name], user=people[name])
            feedback.feedback_rate(report=reports[name], score=score, user=people[name])
    return reports


@pytest.fixture
def counting_on(settings):
    """Demand counting switched on and flushed after every request, with no state from another test."""
    from gorod.analytics.demand import counting, middleware

    settings.GOROD_DEMAND_ENABLED = True
    settings.GOROD_DEMAND_FLUSH_S = 0
    counting.flush()
    counting._salts.clear()
    middleware._hosts.clear()
    yield
    counting.flush()
    counting._salts.clear()
    middleware._hosts.clear()
