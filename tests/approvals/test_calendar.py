"""The 5-working-day clock on the Chinese calendar, with known dates."""

from datetime import date

import pytest

from portal.calendar import add_working_days
from portal.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_dispatched_on_the_last_working_day_before_national_day():
    # 2026: 1–7 October off, Saturday 10 October a make-up working day.
    # 8 Oct (1), 9 Oct (2), Sat 10 Oct (3), Mon 12 Oct (4), Tue 13 Oct (5).
    due = add_working_days(date(2026, 9, 30), 5)
    assert due.date == date(2026, 10, 13)
    assert not due.uncertain


def test_spring_festival_2026_and_its_make_up_saturdays():
    # 2026 Spring Festival: 15–23 February off; Saturdays 14 and 28 February worked.
    due = add_working_days(date(2026, 2, 13), 5)
    # Sat 14 Feb (1), Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5).
    assert due.date == date(2026, 2, 27)


def test_an_ordinary_week():
    assert add_working_days(date(2026, 11, 23), 5).date == date(2026, 11, 30)


def test_a_year_no_source_covers_gives_a_date_and_a_flag_not_an_exception():
    due = add_working_days(date(2030, 5, 6), 5)  # Monday
    assert due.date == date(2030, 5, 13)
    assert due.uncertain


def test_an_operators_entries_cover_a_year_the_library_does_not():
    CalendarYear.objects.create(year=2027, note="State Council notice")
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    due = add_working_days(date(2026, 12, 31), 1)  # Thursday; Friday 1 Jan 2027 is a holiday
    assert due.date == date(2027, 1, 4)
    assert not due.uncertain


def test_an_operators_entry_overrides_the_library():
    CalendarDay.objects.create(date=date(2026, 11, 24), kind=CalendarDay.Kind.HOLIDAY, name="test")
    assert add_working_days(date(2026, 11, 23), 1).date == date(2026, 11, 25)
