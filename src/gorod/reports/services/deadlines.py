"""Deadlines in working days of the municipality's calendar: moderation and executor deadlines of a new
report, the author's window to confirm a fix, a transferred report's fresh deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from gorod.city import selectors as city_selectors
from gorod.city.models import Category, Municipality
from gorod.core import clock
from gorod.reports.models import Report


@dataclass
class Deadlines:
    moderation_due: dt.date
    deadline: dt.date


def compute_deadlines(*, category: Category, municipality: Municipality, at: dt.datetime) -> Deadlines:
    """Moderation and executor deadlines in working days from the municipality's calendar, counted
    from the local date the report was filed; the executor's days start after moderation."""
    calendar = city_selectors.calendar_for(municipality.pk)
    local_day = timezone.localtime(at, ZoneInfo(municipality.timezone)).date()
    moderation_due = calendar.add_working_days(local_day, category.moderation_days)
    return Deadlines(moderation_due, calendar.add_working_days(moderation_due, category.deadline_days))


def confirmation_due(report: Report) -> dt.date:
    """The last day the author may confirm or dispute a fix whose answer is published today. A held
    answer starts the window only when a moderator publishes it: the citizen must see it first."""
    return working_days_from_today(report, settings.GOROD_CONFIRM_DAYS)


def working_days_from_today(report: Report, days: int) -> dt.date:
    municipality = report.municipality
    calendar = city_selectors.calendar_for(municipality.pk)
    return calendar.add_working_days(clock.today(ZoneInfo(municipality.timezone)), days)
