"""The queues an open application waits in, and its place in them.

Which queue depends on whose turn it is (`QUEUE_OF_STATE`):

- **survey**: booking and waiting for the site survey. Its places are the survey slots of the
  area (the surveys app): a booked slot is a fixed moment, and an application still booking
  cannot be surveyed before the area's next free slot.
- **engineer**: the utility's own work (accepting, surveying, revising, building, inspecting,
  connecting). The portal assigns an application to no single engineer: a county's engineers
  work its applications together, so the engineer's open workload is the county's open
  applications in the utility's states, first come first served.
- **departments**: permits under approval. One queue per department (its open tasks, oldest
  first); an application waits for the slowest of its departments, whose recent decision times
  say how long a task takes there.
- every other state (the applicant's turn, the government platform) is its own queue per county.

"Ahead" is the number of open applications of the same county in the same queue that joined it
before this one and are still there. It is counted the same way from the database now
(`queue_now`) and from the timeline at any past moment (`QueueBook`, for the history and the
replay), so what the history learned about a place in the queue applies to today's queue."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from applications.models import TERMINAL_STATES, Application, State, TimelineEntry
from approvals.models import ApprovalTask
from portal.models import Division
from surveys.models import SurveyBooking
from surveys.services import survey_slots_free

from .clocks import PARTY_OF_STATE, Party
from .worktime import DAY, WorkingTime

SURVEY, ENGINEER, DEPARTMENTS = "survey", "engineer", "departments"
SURVEY_STATES = {State.ACCEPTED, State.SURVEY_SCHEDULED}
DECISION_LOOKBACK_DAYS = 90
KEEP_BACK_DAYS = 120  # a stay longer than this is not counted as "ahead" in the replay


def queue_of(state: str) -> str:
    if state in SURVEY_STATES:
        return SURVEY
    if state == State.WORKS_PERMITTING:
        return DEPARTMENTS
    if PARTY_OF_STATE.get(state) == Party.UTILITY:
        return ENGINEER
    return state


def states_of(queue: str) -> list[str]:
    return [s for s in PARTY_OF_STATE if queue_of(s) == queue]


@dataclass(frozen=True)
class Place:
    queue: str
    position: int  # 1 = next
    floor: datetime | None = None  # the earliest it can leave the queue, when one is known


class QueueBook:
    """Every stay of every application (county, queue, entered, left), to count who was ahead
    at any past moment. Built from the timeline in one query."""

    def __init__(self, stays: list[tuple[str, str, datetime, datetime | None]]) -> None:
        by_key: dict[tuple[str, str], list[tuple[datetime, datetime | None]]] = defaultdict(list)
        for county, state, entered, left in stays:
            by_key[(county, queue_of(state))].append((entered, left))
        self.stays = {key: sorted(found, key=lambda s: s[0]) for key, found in by_key.items()}
        self.entered = {key: [s[0] for s in found] for key, found in self.stays.items()}

    @classmethod
    def load(cls, *, since: datetime | None = None) -> QueueBook:
        rows = TimelineEntry.objects.order_by("application_id", "created_at", "id")
        if since is not None:
            rows = rows.filter(application__submitted_at__gte=since)
        stays: list[tuple[str, str, datetime, datetime | None]] = []
        previous, open_stay = None, None
        for pk, county, state, moment in rows.values_list(
            "application_id", "application__supply_county_id", "to_state", "created_at"
        ):
            if previous == pk and open_stay is not None:
                stays[open_stay] = (*stays[open_stay][:3], moment)
            previous, open_stay = pk, None
            if state != State.DRAFT and state not in TERMINAL_STATES:
                open_stay = len(stays)
                stays.append((county, state, moment, None))
        return cls(stays)

    def ahead(self, county: str, state: str, entered: datetime, at: datetime) -> int:
        """Applications of the county that joined this state's queue before `entered` and were
        still in it at `at`."""
        key = (county, queue_of(state))
        found = self.stays.get(key)
        if not found:
            return 0
        lo = bisect.bisect_left(self.entered[key], entered - timedelta(days=KEEP_BACK_DAYS))
        hi = bisect.bisect_left(self.entered[key], entered)
        return sum(1 for _, left in found[lo:hi] if left is None or left > at)


def _entered(application: Application) -> datetime | None:
    return (
        TimelineEntry.objects.filter(application=application)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )


def ahead_now(application: Application, entered: datetime) -> int:
    """Open applications of the county in the same queue that joined it before this one."""
    last_entry = (
        TimelineEntry.objects.filter(application=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    return (
        Application.objects.filter(
            state__in=states_of(queue_of(application.state)),
            supply_county_id=application.supply_county_id,
        )
        .exclude(pk=application.pk)
        .annotate(entered=Subquery(last_entry))
        .filter(entered__lt=entered)
        .count()
    )


def department_place(
    application: Application, as_of: datetime, calendar: WorkingTime
) -> Place | None:
    """The slowest of the application's departments: its place in that department's open
    tasks, and when the task is expected decided (dispatched + the department's recent median
    decision time, never before now)."""
    # Open at `as_of`: dispatched, not yet decided then (a task returned for information still
    # holds its place; a cancelled one has left the queue).
    open_then = (Q(decided_at__isnull=True) | Q(decided_at__gt=as_of)) & ~Q(
        state=ApprovalTask.State.CANCELLED
    )
    pending = list(
        ApprovalTask.objects.filter(
            open_then, application_id=application.pk, dispatched_at__lte=as_of
        )
    )
    if not pending:
        return None
    departments = {t.department_id for t in pending}
    since = as_of - timedelta(days=DECISION_LOOKBACK_DAYS)
    took: dict[int, list[timedelta]] = defaultdict(list)
    for department, dispatched, decided in ApprovalTask.objects.filter(
        department_id__in=departments, decided_at__gte=since, decided_at__lte=as_of
    ).values_list("department_id", "dispatched_at", "decided_at"):
        took[department].append(calendar.span(dispatched, decided))
    position, floor = 1, None
    for task in pending:
        ahead = ApprovalTask.objects.filter(
            open_then, department_id=task.department_id, dispatched_at__lt=task.dispatched_at
        ).count()
        position = max(position, ahead + 1)
        usual = median(took[task.department_id]) if took[task.department_id] else None
        if usual is None:
            expected = timezone.make_aware(
                datetime.combine(task.due_date, datetime.min.time())
            ) + timedelta(hours=17)
        else:
            expected = calendar.add(task.dispatched_at, usual)
        expected = max(expected, as_of)
        floor = expected if floor is None else max(floor, expected)
    return Place(DEPARTMENTS, position, floor)


def survey_place(application: Application, as_of: datetime) -> Place | None:
    """Booked: the place among the area's booked seats before this one, and the slot itself.
    Still booking: behind every booked seat, and not before the area's next free slot."""
    booking = (
        SurveyBooking.objects.filter(
            application_id=application.pk, state=SurveyBooking.State.BOOKED
        )
        .order_by("-start")
        .first()
    )
    if booking is not None:
        ahead = (
            SurveyBooking.objects.filter(
                area_id=booking.area_id,
                state=SurveyBooking.State.BOOKED,
                start__gte=as_of,
            )
            .filter(Q(start__lt=booking.start) | Q(start=booking.start, seat__lt=booking.seat))
            .count()
        )
        return Place(SURVEY, ahead + 1, max(booking.start, as_of))
    if application.survey_slot and application.survey_slot > as_of:
        return Place(SURVEY, 1, application.survey_slot)
    if application.state != State.ACCEPTED:
        return None
    county = Division.objects.filter(pk=application.supply_county_id).first()
    if county is None:
        return None
    free = survey_slots_free(county, now=as_of)
    booked = SurveyBooking.objects.filter(
        area_id=county.pk, state=SurveyBooking.State.BOOKED, start__gte=as_of
    ).count()
    return Place(SURVEY, booked + 1, free[0].start if free else None)


def queue_now(application: Application, as_of: datetime, calendar: WorkingTime) -> Place | None:
    """The application's place in its queue now (and the floor the queue sets, if any)."""
    if application.state in TERMINAL_STATES or application.state == State.DRAFT:
        return None
    queue = queue_of(application.state)
    if queue == SURVEY:
        return survey_place(application, as_of)
    if queue == DEPARTMENTS:
        found = department_place(application, as_of, calendar)
        if found is not None:
            return found
    entered = _entered(application)
    if entered is None:
        return None
    return Place(queue, ahead_now(application, entered) + 1)


def _slope(pairs: list[tuple[int, float]]) -> float:
    """Remaining working days per place ahead: the least-squares slope when it is clearly
    positive (more than twice its standard error), and no steeper than the medians of the
    shorter and the longer half of the queues say (a few very long stays pull the mean);
    otherwise 0."""
    n = len(pairs)
    mx = sum(q for q, _ in pairs) / n
    my = sum(r for _, r in pairs) / n
    sxx = sum((q - mx) ** 2 for q, _ in pairs)
    if n < 3 or sxx == 0:
        return 0.0
    slope = sum((q - mx) * (r - my) for q, r in pairs) / sxx
    residual = sum((r - my - slope * (q - mx)) ** 2 for q, r in pairs) / (n - 2)
    if slope <= 2 * (residual / sxx) ** 0.5:
        return 0.0
    cut = median(q for q, _ in pairs)
    short = [(q, r) for q, r in pairs if q <= cut]
    long = [(q, r) for q, r in pairs if q > cut]
    if not short or not long:
        return 0.0
    spread = sum(q for q, _ in long) / len(long) - sum(q for q, _ in short) / len(short)
    robust = (median(r for _, r in long) - median(r for _, r in short)) / spread
    return max(0.0, min(slope, robust))


def per_place(samples: list) -> timedelta:
    """What one more application ahead has cost, learned from the history, or nothing: the
    slope (`_slope`) learned on the older half of the samples is kept only if it would have
    predicted the newer half better than the plain median did. A queue never makes work faster,
    and a relation that does not hold up must not move the prediction."""
    pairs = [
        (s.ahead, s.remaining / DAY)
        for s in sorted(samples, key=lambda s: s.completed_at)
        if s.ahead is not None
    ]
    if len(pairs) < 30:
        return timedelta(0)
    older, newer = pairs[: len(pairs) // 2], pairs[len(pairs) // 2 :]
    learned = _slope(older)
    if not learned:
        return timedelta(0)
    plain = median(r for _, r in older)
    shifted = median(r - learned * q for q, r in older)
    without = sum(abs(r - plain) for _, r in newer)
    with_queue = sum(abs(r - shifted - learned * q) for q, r in newer)
    if with_queue >= 0.98 * without:  # a clear gain (2 %), not a tie broken by chance
        return timedelta(0)
    return DAY * _slope(pairs)
