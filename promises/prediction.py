"""Predicted completion: a date and a queue position for each open application.

From the recent history of applications like it (same kind, voltage and customer type,
completed in the last `LOOKBACK_DAYS`): for the state it is in, how much working time the
earlier ones still needed from the moment they had been in that state as long as this one has
(the median, which is what the mean absolute error rewards). The current queues put floors
under it: a booked survey slot is not moved forward, and permit tasks take until their due
dates. With no history, the commitments answer: the whole-process limit less the utility's time
used. The prediction is worked out when it is shown, so every step changes it at once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from django.core.cache import cache
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from applications.models import TERMINAL_STATES, Application, State, TimelineEntry
from approvals.models import ApprovalTask

from .clocks import application_clocks, state_segments
from .commitments import commitments_for
from .models import Phase
from .worktime import DAY, WorkingTime

LOOKBACK_DAYS = 180
CACHE_SECONDS = 600


@dataclass(frozen=True)
class Sample:
    completed_at: datetime
    stay: timedelta  # working time in the state (its last stay)
    remaining: timedelta  # working time from entering the state to completion


class History:
    """Samples per state from completed applications; `before(moment)` keeps those completed
    earlier, so a replay predicts only from what was known then."""

    def __init__(self, samples: dict[str, list[Sample]] | None = None) -> None:
        self.samples = samples or {}

    def of(self, state: str, before: datetime | None = None) -> list[Sample]:
        found = self.samples.get(state, [])
        if before is None:
            return found
        since = before - timedelta(days=LOOKBACK_DAYS)
        return [s for s in found if since <= s.completed_at < before]


def _group(application: Application) -> dict:
    return {
        "kind": application.kind,
        "voltage": application.voltage,
        "customer_type": application.customer_type,
    }


def history_load(*, kind: str, voltage: str, customer_type: str, since=None, until=None) -> History:
    """The history of completed applications of this group, from the database (two queries)."""
    rows = Application.objects.filter(
        kind=kind, voltage=voltage, customer_type=customer_type, state=State.COMPLETED
    )
    if since is not None:
        rows = rows.filter(completed_at__gte=since)
    if until is not None:
        rows = rows.filter(completed_at__lt=until)
    completed = dict(rows.values_list("pk", "completed_at"))
    entries = defaultdict(list)
    for entry in TimelineEntry.objects.filter(application_id__in=list(completed)).order_by(
        "application_id", "created_at", "id"
    ):
        entries[entry.application_id].append(entry)
    if not completed:
        return History()
    first = min(e[0].created_at for e in entries.values() if e) if entries else timezone.now()
    calendar = WorkingTime(timezone.localdate(first), timezone.localdate(max(completed.values())))
    samples: dict[str, list[Sample]] = defaultdict(list)
    for pk, done in completed.items():
        last_stay = {}
        for state, lo, hi in state_segments(entries[pk], done):
            last_stay[state] = (lo, hi)
        for state, (lo, hi) in last_stay.items():
            samples[state].append(Sample(done, calendar.span(lo, hi), calendar.span(lo, done)))
    return History(dict(samples))


def history_for(application: Application) -> History:
    """The recent history of this application's group, cached for a few minutes."""
    group = _group(application)
    key = "promises:history:" + ":".join(group.values())
    found = cache.get(key)
    if found is None:
        since = timezone.now() - timedelta(days=LOOKBACK_DAYS)
        found = history_load(**group, since=since)
        cache.set(key, found, CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class Prediction:
    date: date
    basis: str  # "history" or "commitments"
    samples: int


def _after_leaving(samples: list[Sample]) -> timedelta | None:
    values = [s.remaining - s.stay for s in samples]
    return median(values) if values else None


def _day_of(moment: datetime) -> date:
    """The day work finishing at `moment` is done: a moment at midnight closes the day before."""
    return timezone.localdate(moment - timedelta(microseconds=1))


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(17, 0)))


def predict(
    application: Application,
    *,
    as_of: datetime | None = None,
    history: History | None = None,
    entries=None,
    calendar: WorkingTime | None = None,
) -> Prediction | None:
    """When this open application is predicted to be completed, seen at `as_of` (default now)."""
    as_of = as_of or timezone.now()
    if entries is None:
        entries = list(application.timeline.order_by("created_at", "id"))
    entries = [e for e in entries if e.created_at <= as_of]
    if not entries or entries[-1].to_state in TERMINAL_STATES | {State.DRAFT}:
        return None
    state, entered = entries[-1].to_state, entries[-1].created_at
    calendar = calendar or WorkingTime(
        timezone.localdate(entered), timezone.localdate(as_of) + timedelta(days=400)
    )
    history = history if history is not None else history_for(application)
    samples = history.of(state, before=as_of)
    elapsed = calendar.span(entered, as_of)
    if samples:
        still_here = [s.remaining - elapsed for s in samples if s.stay >= elapsed]
        left = median(still_here) if still_here else _after_leaving(samples)
        moment = calendar.add(as_of, left)
        for floor in _queue_floors(application, state, as_of, samples, calendar):
            moment = max(moment, floor)
        return Prediction(_day_of(moment), "history", len(samples))
    whole = commitments_for(application).get(Phase.WHOLE)
    if whole is None:
        return None
    used = application_clocks(application, now=as_of, entries=entries, calendar=calendar).utility
    left = max(whole.limit_days * DAY - used.working, DAY)
    return Prediction(_day_of(calendar.add(as_of, left)), "commitments", 0)


def _queue_floors(application, state, as_of, samples, calendar) -> list[datetime]:
    """What the current queues rule out: completing before the booked survey, or before the
    departments' due dates, plus what usually follows."""
    after = _after_leaving(samples)
    if after is None:
        return []
    if (
        state == State.SURVEY_SCHEDULED
        and application.survey_slot
        and application.survey_slot > as_of
    ):
        return [calendar.add(application.survey_slot, after)]
    if state == State.WORKS_PERMITTING:
        due = ApprovalTask.objects.filter(
            application_id=application.pk, state=ApprovalTask.State.PENDING
        ).aggregate(last=Max("due_date"))["last"]
        if due is not None and _end_of(due) > as_of:
            return [calendar.add(_end_of(due), after)]
    return []


def queue_position(application: Application) -> int | None:
    """1 + the open applications of the same county waiting in the same state since earlier."""
    if application.state in TERMINAL_STATES or application.state == State.DRAFT:
        return None
    entered = (
        TimelineEntry.objects.filter(application=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    mine = TimelineEntry.objects.filter(application=application).order_by("-created_at", "-id")
    mine = mine.values_list("created_at", flat=True).first()
    if mine is None:
        return None
    ahead = (
        Application.objects.filter(
            state=application.state, supply_county_id=application.supply_county_id
        )
        .exclude(pk=application.pk)
        .annotate(entered=Subquery(entered))
        .filter(entered__lt=mine)
        .count()
    )
    return ahead + 1
