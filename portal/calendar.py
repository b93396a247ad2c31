"""The Chinese working-day calendar: public holidays and make-up working days.

Sources, in order: an operator's `CalendarDay` entry; the `chinesecalendar` library for the
years it covers; for a year an operator marked complete (`CalendarYear`), Monday–Friday plus
that year's entries; otherwise Monday–Friday, with the answer flagged as uncertain so that the
due date is shown as provisional and an operator is told to enter the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from .models import CalendarDay, CalendarYear


@dataclass(frozen=True)
class DueDate:
    date: date
    uncertain: bool  # some day counted fell in a year no calendar source covers


class WorkingDays:
    """Loads the operator's entries once per computation (one or two queries)."""

    def __init__(self, start: date, end: date) -> None:
        self.overrides = dict(
            CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind")
        )
        self.entered_years = set(
            CalendarYear.objects.filter(year__range=(start.year, end.year)).values_list(
                "year", flat=True
            )
        )

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is a working day, answer is uncertain)."""
        if day in self.overrides:
            return self.overrides[day] == CalendarDay.Kind.WORKDAY, False
        try:
            return chinese_calendar.is_workday(day), False
        except NotImplementedError:  # the library does not cover this year
            return day.weekday() < 5, day.year not in self.entered_years

    def count(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` is not later)."""
        day, counted = start, 0
        while day < end:
            day += timedelta(days=1)
            counted += self.is_workday(day)[0]
        return counted


def working_days_left(today: date, due: date, calendar: WorkingDays | None = None) -> int:
    """Working days from today to the due date: 0 on the due day, negative once overdue
    (minus the working days it is late). Pass one `calendar` to count many tasks with the
    operator's entries read once."""
    if calendar is None:
        calendar = WorkingDays(min(today, due), max(today, due))
    return calendar.count(today, due) if due >= today else -calendar.count(due, today)


def add_working_days(start: date, days: int) -> DueDate:
    """The `days`-th working day after `start` (the day of dispatch itself does not count)."""
    calendar = WorkingDays(start, start + timedelta(days=days * 3 + 30))
    day, counted, uncertain = start, 0, False
    while counted < days:
        day += timedelta(days=1)
        working, unsure = calendar.is_workday(day)
        uncertain = uncertain or unsure
        counted += working
    return DueDate(day, uncertain)
