"""Survey slots and bookings: which times are offered, booking a seat, ending a booking, and the
reminder the day before. The applications app calls these from its steps (book, reschedule,
cancel, survey recorded, withdrawal); the rules live here and refuse with the portal's errors,
by the step's `slot` field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from portal.calendar import WorkingDays
from portal.errors import InvalidInput
from portal.models import Division

from .models import SurveyBooking, SurveyHours

SLOT_FIELD = "slot"
DEFAULT_DAYS = 10  # working days offered when the caller does not say
MAX_DAYS = 30
# The hours when the table holds none for an area nor any default row (the data migration seeds
# the same as rows, for operators to edit): a morning and an afternoon, 90 minutes a survey, two
# crews. Never an area without slots because a table was emptied.
BUILT_IN_HOURS = [(time(9, 0), time(12, 0)), (time(14, 0), time(17, 30))]


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    capacity: int
    taken: int = 0

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def survey_hours_for(county: Division) -> tuple[Division, list[SurveyHours]]:
    """The hours that apply to a supply county, and the area whose crews they are: the county's
    own; else its city's (one pool for the city's counties); else the default hours, with a pool
    per county."""
    for area in (county, county.parent):
        if area is None:
            continue
        rows = list(SurveyHours.objects.filter(division=area).order_by("start"))
        if rows:
            return area, rows
    rows = list(SurveyHours.objects.filter(division__isnull=True).order_by("start"))
    return county, rows or [
        SurveyHours(start=start, end=end, slot_minutes=90, capacity=2)
        for start, end in BUILT_IN_HOURS
    ]


def _slots_of_day(day: date, hours: list[SurveyHours]) -> list[tuple[datetime, datetime, int]]:
    out = []
    for period in hours:
        step = timedelta(minutes=period.slot_minutes)
        start = timezone.make_aware(datetime.combine(day, period.start))
        close = timezone.make_aware(datetime.combine(day, period.end))
        while start + step <= close:
            out.append((start, start + step, period.capacity))
            start += step
    return out


def survey_slots(
    county: Division, *, days: int = DEFAULT_DAYS, now: datetime | None = None
) -> tuple[Division, list[Slot]]:
    """Every slot of the next `days` working days for the county, full ones included, with the
    seats taken. Offered from the next day on: no slot today (the crews plan their day the
    evening before), none in the past."""
    now = now or timezone.now()
    days = max(1, min(days, MAX_DAYS))
    area, hours = survey_hours_for(county)
    first = timezone.localdate(now) + timedelta(days=1)
    calendar = WorkingDays(first, first + timedelta(days=days * 3 + 30))
    raw, day, counted = [], first, 0
    while counted < days and hours:
        if calendar.is_workday(day)[0]:
            counted += 1
            raw.extend(_slots_of_day(day, hours))
        day += timedelta(days=1)
    if not raw:
        return area, []
    taken: dict[datetime, int] = {}
    for start in SurveyBooking.objects.filter(
        area=area, state=SurveyBooking.State.BOOKED, start__range=(raw[0][0], raw[-1][0])
    ).values_list("start", flat=True):
        taken[start] = taken.get(start, 0) + 1
    return area, [Slot(s, e, cap, taken.get(s, 0)) for s, e, cap in raw if s > now]


def survey_slots_free(county: Division, *, days: int = DEFAULT_DAYS, now=None) -> list[Slot]:
    return [slot for slot in survey_slots(county, days=days, now=now)[1] if slot.free]


def _refuse(message: str):
    raise InvalidInput({SLOT_FIELD: [message]})


def _offered(county: Division, start: datetime) -> tuple[Division, Slot]:
    now = timezone.now()
    if start <= now:
        _refuse(_("That time has passed: choose one of the free times offered."))
    area, slots = survey_slots(county, days=MAX_DAYS, now=now)
    slot = next((s for s in slots if s.start == start), None)
    if slot is None:
        _refuse(
            _("No survey is offered at that time (a working day, within the engineers' hours, "
              "from tomorrow on): choose one of the free times offered.")
        )  # fmt: skip
    return area, slot


def survey_book(*, application, county: Division, start: datetime, actor) -> SurveyBooking:
    """Book a seat for the application in the slot starting at `start`, or refuse by the slot
    field: past, not offered, or full. Called inside the step's transaction; two people taking
    the last seat at once are told apart by the database (the open seat is unique)."""
    area, slot = _offered(county, start)
    for _attempt in range(slot.capacity + 1):
        taken = set(
            SurveyBooking.objects.filter(
                area=area, start=slot.start, state=SurveyBooking.State.BOOKED
            ).values_list("seat", flat=True)
        )
        seat = next((n for n in range(1, slot.capacity + 1) if n not in taken), None)
        if seat is None:
            break
        try:
            with transaction.atomic():
                return SurveyBooking.objects.create(
                    application_id=application.pk,
                    area=area,
                    start=slot.start,
                    end=slot.end,
                    seat=seat,
                    booked_by=actor,
                )
        except IntegrityError:
            continue  # someone took this seat a moment ago: look again
    _refuse(_("That time has just been fully booked: choose another of the free times offered."))


def survey_booking_end(*, application_id: int, state: str, actor=None, reason: str = "") -> int:
    """End the application's open booking (surveyed, moved, cancelled); the seat is free again.
    The number of bookings ended (0 or 1)."""
    return SurveyBooking.objects.filter(
        application_id=application_id, state=SurveyBooking.State.BOOKED
    ).update(state=state, ended_by=actor, ended_at=timezone.now(), reason=reason)


def survey_reschedule(*, application, county, start, actor, reason: str) -> SurveyBooking:
    survey_booking_end(
        application_id=application.pk,
        state=SurveyBooking.State.RESCHEDULED,
        actor=actor,
        reason=reason,
    )
    return survey_book(application=application, county=county, start=start, actor=actor)


def survey_booking_open(application_id: int) -> SurveyBooking | None:
    return (
        SurveyBooking.objects.filter(
            application_id=application_id, state=SurveyBooking.State.BOOKED
        )
        .select_related("area")
        .first()
    )


def survey_reminders_send(*, now: datetime | None = None) -> int:
    """The day before the survey, the applicant is reminded once (inbox now, SMS through the
    outbox): each booking is claimed by a conditional update, so overlapping runs send once."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    begin = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    due = SurveyBooking.objects.filter(
        state=SurveyBooking.State.BOOKED,
        reminded_at__isnull=True,
        start__gte=begin,
        start__lt=begin + timedelta(days=1),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = SurveyBooking.objects.filter(
                pk=pk, state=SurveyBooking.State.BOOKED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            booking = SurveyBooking.objects.select_related("application").get(pk=pk)
            application = booking.application
            notify(
                recipients=[application.applicant_id],
                kind="survey_reminder",
                params={
                    "number": application.number,
                    "time": f"{timezone.localtime(booking.start):%Y-%m-%d %H:%M}"
                    f"–{timezone.localtime(booking.end):%H:%M}",
                },
                link=reverse("applications:page", args=[application.pk]),
            )
            sent += 1
    return sent
