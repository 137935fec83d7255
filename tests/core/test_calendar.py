import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gorod.core.calendar import WorkCalendar

D = dt.date
NEW_YEAR = WorkCalendar(
    holidays=frozenset(D(2026, 1, d) for d in (1, 2, 5, 6, 7, 8, 9)),
    moved_workdays=frozenset({D(2026, 1, 10)}),  # a Saturday made a working day
)


def test_weekends_and_holidays_are_skipped():
    # Wed 31 Dec 2025 + 1 working day: Jan 1-2 holidays, 3-4 weekend, 5-9 holidays, Sat 10 moved workday.
    assert NEW_YEAR.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 10)
    assert NEW_YEAR.add_working_days(D(2025, 12, 31), 2) == D(2026, 1, 12)


def test_zero_days_rolls_forward_to_a_working_day():
    assert NEW_YEAR.add_working_days(D(2026, 1, 3), 0) == D(2026, 1, 10)
    assert NEW_YEAR.add_working_days(D(2026, 1, 12), 0) == D(2026, 1, 12)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        WorkCalendar().add_working_days(D(2026, 1, 1), -1)


def test_a_plain_week_has_five_working_days():
    assert WorkCalendar().add_working_days(D(2026, 3, 6), 5) == D(2026, 3, 13)  # Fri -> next Fri
    assert WorkCalendar().working_days_between(D(2026, 3, 6), D(2026, 3, 13)) == 5
    assert WorkCalendar().working_days_between(D(2026, 3, 13), D(2026, 3, 6)) == -5


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)), st.integers(min_value=1, max_value=60))
def test_adding_then_counting_gives_back_the_days(start, days):
    end = NEW_YEAR.add_working_days(start, days)
    assert NEW_YEAR.is_working_day(end)
    assert NEW_YEAR.working_days_between(start, end) == days
