"""Working-day arithmetic. A day is a working day when it is Mon-Fri and not a public holiday, or when
it is a weekend day the government moved a working day to ("перенос рабочего дня")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    moved_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.moved_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start`; `start` itself is never counted.

        Zero days means "the same day if it is a working day, else the next working day"."""
        if days < 0:
            raise ValueError("days must be non-negative")
        day = start
        if days == 0:
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def add_months(at: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months later (earlier if negative); a day the target month
    lacks becomes its last day (31 March + 1 month = 30 April)."""
    index = at.year * 12 + at.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return at.replace(year=year, month=month, day=min(at.day, last_day))
