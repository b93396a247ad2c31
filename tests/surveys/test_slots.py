"""Which survey times are offered, on known dates of the working-day calendar (the calendar
library's 2025 and 2026 data): none on holidays, some on a make-up working Saturday, none in the
past and none today; and the hours operators set per area."""

from datetime import date, time

import pytest

from portal.models import CalendarDay, Division
from surveys.models import SurveyHours
from surveys.services import survey_slots, survey_slots_free
from tests.surveys.booking import at

pytestmark = pytest.mark.django_db

NATIONAL_DAY_2026 = {date(2026, 10, d) for d in range(1, 8)}
NATIONAL_DAY_2025 = {date(2025, 10, d) for d in range(1, 9)}


def days_of(slots) -> list[date]:
    return sorted({slot.start.astimezone(at(2026, 1, 1).tzinfo).date() for slot in slots})


def test_across_national_day_2026_no_holiday_and_the_make_up_saturday(jinan, time_machine):
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)
    county = Division.objects.get(code="370102")
    area, slots = survey_slots(county, days=5)
    assert area == county  # the default hours: a pool of crews per county
    assert days_of(slots) == [
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),  # Saturday, a make-up working day
        date(2026, 10, 12),
        date(2026, 10, 13),
    ]
    assert not NATIONAL_DAY_2026 & set(days_of(slots))
    assert date(2026, 10, 11) not in days_of(slots)  # an ordinary Sunday
    saturday = [s for s in slots if s.start.date() == date(2026, 10, 10)]
    assert [(s.start.time(), s.end.time(), s.free) for s in saturday] == [
        (time(9, 0), time(10, 30), 2),
        (time(10, 30), time(12, 0), 2),
        (time(14, 0), time(15, 30), 2),
        (time(15, 30), time(17, 0), 2),
    ]


def test_across_national_day_2025_eight_days_and_the_make_up_saturday(jinan, time_machine):
    time_machine.move_to(at(2025, 9, 30, 16), tick=False)
    county = Division.objects.get(code="370102")
    offered = days_of(survey_slots_free(county, days=3))
    assert offered == [date(2025, 10, 9), date(2025, 10, 10), date(2025, 10, 11)]
    assert not NATIONAL_DAY_2025 & set(offered)


def test_no_slot_today_or_in_the_past(jinan, time_machine):
    time_machine.move_to(at(2026, 10, 9, 10), tick=False)  # a Friday morning
    slots = survey_slots_free(Division.objects.get(code="370102"), days=2)
    assert min(s.start for s in slots) == at(2026, 10, 10, 9)  # tomorrow's first, never today's
    assert all(s.start > at(2026, 10, 9, 10) for s in slots)


def test_an_operators_calendar_entry_wins(jinan, time_machine):
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)
    CalendarDay.objects.create(date=date(2026, 10, 8), kind=CalendarDay.Kind.HOLIDAY, name="x")
    offered = days_of(survey_slots_free(Division.objects.get(code="370102"), days=1))
    assert offered == [date(2026, 10, 9)]


def test_an_areas_own_hours_replace_the_defaults_and_a_city_covers_its_counties(
    jinan, time_machine
):
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)
    SurveyHours.objects.create(
        division=jinan, start=time(8, 30), end=time(11, 30), slot_minutes=60, capacity=3
    )
    county = Division.objects.get(code="370102")
    area, slots = survey_slots(county, days=1)
    assert area == jinan  # one pool for the city's counties
    assert [(s.start.time(), s.capacity) for s in slots] == [
        (time(8, 30), 3),
        (time(9, 30), 3),
        (time(10, 30), 3),
    ]
    SurveyHours.objects.create(division=county, start=time(13, 0), end=time(14, 0), capacity=1)
    area, slots = survey_slots(county, days=1)
    assert area == county
    assert [s.start.time() for s in slots] == []  # 60 minutes cannot hold a 90-minute survey


def test_the_seeded_defaults_are_the_morning_and_the_afternoon():
    rows = SurveyHours.objects.filter(division__isnull=True).order_by("start")
    assert [(r.start, r.end, r.slot_minutes, r.capacity) for r in rows] == [
        (time(9, 0), time(12, 0), 90, 2),
        (time(14, 0), time(17, 30), 90, 2),
    ]


def test_an_emptied_table_falls_back_to_the_built_in_hours(jinan, time_machine):
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)
    SurveyHours.objects.all().delete()
    slots = survey_slots_free(Division.objects.get(code="370102"), days=1)
    assert [(s.start.time(), s.free) for s in slots] == [
        (time(9, 0), 2),
        (time(10, 30), 2),
        (time(14, 0), 2),
        (time(15, 30), 2),
    ]
