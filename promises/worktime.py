"""Working time: the seconds of an interval that fall on working days of the Chinese calendar
(`portal.calendar`: public holidays off, make-up Saturdays and Sundays on), counted in the
portal's time zone. A working day is a whole day, so a clock in working days reads the same
as the approval limits ("five working days")."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from portal.calendar import WorkingDays

DAY = timedelta(days=1)
MICROSECOND = timedelta(microseconds=1)


def in_days(span: timedelta) -> Decimal:
    """A duration in days, exact to the hundredth (no floating point)."""
    return (Decimal(span // MICROSECOND) / Decimal(DAY // MICROSECOND)).quantize(Decimal("0.01"))


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class WorkingTime:
    """The calendar between two dates, read once (one or two queries); answers for any moment
    inside, and reads on its own beyond it."""

    def __init__(self, start: date, end: date) -> None:
        self.start, self.end = start, end
        self._days = WorkingDays(start, end)
        self._cache: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        if day not in self._cache:
            self._cache[day] = self._days.is_workday(day)[0]
        return self._cache[day]

    def span(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end) (zero when end is not later); exact, so the spans of
        adjoining intervals add up to the span of the whole."""
        total = timedelta(0)
        if end <= start:
            return total
        start, end = _local(start), _local(end)
        day = start.date()
        while day <= end.date():
            if self.is_workday(day):
                lo = max(start, _midnight(day))
                hi = min(end, _midnight(day + timedelta(days=1)))
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    def add(self, start: datetime, working: timedelta) -> datetime:
        """The moment `working` time after `start`."""
        moment = _local(start)
        left = max(timedelta(0), working)
        while True:
            day = moment.date()
            next_midnight = _midnight(day + timedelta(days=1))
            if self.is_workday(day):
                room = next_midnight - moment
                if left <= room:
                    return moment + left
                left -= room
            moment = next_midnight

    def days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; negative when end is earlier."""
        if end < start:
            return -self.days_between(end, start)
        return sum(
            self.is_workday(start + timedelta(days=n + 1)) for n in range((end - start).days)
        )


def calendar_for(start: datetime, end: datetime) -> WorkingTime:
    return WorkingTime(_local(start).date(), _local(end).date() + timedelta(days=400))
