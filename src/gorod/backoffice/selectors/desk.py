"""Who is at the desk: a staff member's city, its working-day calendar and today's date there, and which
reports they may see at all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from gorod.accounts.models import User
from gorod.accounts.roles import is_auditor, is_city_admin, is_department_staff, is_moderator
from gorod.accounts.selectors import municipality_of
from gorod.city import selectors as city_selectors
from gorod.city.models import Municipality
from gorod.core import clock
from gorod.core.calendar import WorkCalendar
from gorod.reports.models import Report


@dataclass(frozen=True)
class Desk:
    """The signed-in staff member's context: their city, its calendar and today's local date."""

    user: User  # request.user once staff_required has let it through
    municipality: Municipality
    calendar: WorkCalendar

    @property
    def today(self) -> dt.date:
        return local_today(self.municipality)

    def days_left(self, due: dt.date | None) -> int | None:
        """Working days from today to the due day: 0 means due today, negative means overdue."""
        if due is None:
            return None
        today = self.today
        if due >= today:
            return self.calendar.working_days_between(today, due)
        return -max(1, self.calendar.working_days_between(due, today))


def desk_for(user: User) -> Desk | None:
    """None when the user belongs to no city the back office can show."""
    municipality = municipality_of(user)
    if municipality is None:
        return None
    return Desk(user, municipality, city_selectors.calendar_for(municipality.pk))


def local_today(municipality: Municipality) -> dt.date:
    return clock.today(ZoneInfo(municipality.timezone))


def sees_all_departments(user: User) -> bool:
    """Moderators, city administrators and auditors see every department's reports; department staff
    see only their own department's."""
    return bool(is_moderator(user) or is_city_admin(user) or is_auditor(user))


def visible_reports(user: User, municipality: Municipality) -> QuerySet[Report]:
    qs = Report.objects.filter(municipality=municipality)
    if sees_all_departments(user):
        return qs
    if is_department_staff(user) and user.department_id:
        return qs.filter(department_id=user.department_id)
    return qs.none()


def visible_by_id(user: User, municipality: Municipality, ids: list[int]) -> dict[int, Report]:
    """Those of these reports this user may see, by id, with what a bulk change reads of them."""
    found = visible_reports(user, municipality).filter(pk__in=ids).select_related("category", "department")
    return {r.pk: r for r in found}
