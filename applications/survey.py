"""What the booking page and the API show of the site survey: the free slots of the
application's area grouped by day, for the booking step the user may take now, and the booking
held. The rules (which times are offered, seats, refusals) are the surveys app's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import InvalidInput
from surveys.models import SurveyBooking
from surveys.services import DEFAULT_DAYS, MAX_DAYS, Slot, survey_booking_open, survey_slots_free

from .models import Application, State
from .registry import Step
from .services import transition_check
from .workflows import RESCHEDULE_SURVEY, SCHEDULE_SURVEY


@dataclass(frozen=True)
class SlotDay:
    day: date
    slots: list[Slot]


def booking_step(application: Application) -> Step:
    """Booking a first time, or moving the booked survey."""
    if application.state == State.SURVEY_SCHEDULED:
        return RESCHEDULE_SURVEY
    return SCHEDULE_SURVEY


def days_asked(value) -> int:
    """The `days` of a request: working days ahead to list, 1 to 30 (10 when not given)."""
    if value in (None, ""):
        return DEFAULT_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            {"days": [_("Ask for 1 to %(most)s working days.") % {"most": MAX_DAYS}]}
        )
    return days


def free_slot_days(*, application: Application, actor, days: int = DEFAULT_DAYS) -> list[SlotDay]:
    """The free slots this user may book for the application now, grouped by day; refused
    (403/409) as the booking step itself would be."""
    transition_check(application=application, name=booking_step(application).name, actor=actor)
    slots = survey_slots_free(application.supply_county, days=days)
    return [
        SlotDay(day, list(group))
        for day, group in groupby(slots, key=lambda s: timezone.localdate(s.start))
    ]


def booking_held(application: Application) -> SurveyBooking | None:
    return survey_booking_open(application.pk)
