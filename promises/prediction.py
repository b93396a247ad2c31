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
from datetime import date, datetime, timedelta
from statistics import median

from django.core.cache import cache
from django.utils import timezone

from applications.models import TERMINAL_STATES, Application, State, TimelineEntry

from .clocks import application_clocks, state_segments
from .commitments import commitments_for
from .models import Phase
from .queues import (
    DEPARTMENTS,
    SURVEY,
    Place,
    QueueBook,
    ahead_now,
    per_place,
    queue_now,
    queue_of,
)
from .worktime import DAY, WorkingTime

LOOKBACK_DAYS = 180
CACHE_SECONDS = 600
BOOK_KEY = "promises:queue-book"


@dataclass(frozen=True)
class Sample:
    completed_at: datetime
    stay: timedelta  # working time in the state (its last stay)
    remaining: timedelta  # working time from entering the state to completion
    ahead: int | None = None  # applications ahead in its queue when it entered the state


class History:
    """Samples per state from completed applications; `before(moment)` keeps those completed
    earlier, so a replay predicts only from what was known then."""

    def __init__(self, samples: dict[str, list[Sample]] | None = None) -> None:
        self.samples = samples or {}
        self._costs: dict[tuple, timedelta] = {}

    def cost_per_place(self, state: str, before: datetime, elapsed: timedelta, still_here):
        """`queues.per_place` over the samples still here, learned once per state, week and
        whole working day elapsed (a slope over half a year moves little within a week)."""
        week = timezone.localdate(before).isocalendar()[:2]
        key = (state, week, elapsed // DAY)
        if key not in self._costs:
            self._costs[key] = per_place(still_here)
        return self._costs[key]

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


def history_load(
    *,
    kind: str,
    voltage: str,
    customer_type: str,
    since=None,
    until=None,
    book: QueueBook | None = None,
) -> History:
    """The history of completed applications of this group, from the database (two queries, and
    one more for the queues when no `book` is given)."""
    rows = Application.objects.filter(
        kind=kind, voltage=voltage, customer_type=customer_type, state=State.COMPLETED
    )
    if since is not None:
        rows = rows.filter(completed_at__gte=since)
    if until is not None:
        rows = rows.filter(completed_at__lt=until)
    completed = {pk: (done, county) for pk, done, county in rows.values_list(
        "pk", "completed_at", "supply_county_id"
    )}  # fmt: skip
    if not completed:
        return History()
    entries = defaultdict(list)
    for entry in TimelineEntry.objects.filter(application_id__in=list(completed)).order_by(
        "application_id", "created_at", "id"
    ):
        entries[entry.application_id].append(entry)
    if book is None:
        book = QueueBook.load(since=since - timedelta(days=LOOKBACK_DAYS) if since else None)
    first = min(e[0].created_at for e in entries.values() if e) if entries else timezone.now()
    last = max(done for done, _ in completed.values())
    calendar = WorkingTime(timezone.localdate(first), timezone.localdate(last))
    samples: dict[str, list[Sample]] = defaultdict(list)
    for pk, (done, county) in completed.items():
        last_stay = {}
        for state, lo, hi in state_segments(entries[pk], done):
            last_stay[state] = (lo, hi)
        for state, (lo, hi) in last_stay.items():
            ahead = book.ahead(county, state, lo, lo)
            samples[state].append(
                Sample(done, calendar.span(lo, hi), calendar.span(lo, done), ahead)
            )
    return History(dict(samples))


def history_for(application: Application) -> History:
    """The recent history of this application's group, cached for a few minutes."""
    group = _group(application)
    key = "promises:history:" + ":".join(group.values())
    found = cache.get(key)
    if found is None:
        since = timezone.now() - timedelta(days=LOOKBACK_DAYS)
        book = cache.get(BOOK_KEY)
        if book is None:  # one book of the queues for every group
            book = QueueBook.load(since=since - timedelta(days=LOOKBACK_DAYS))
            cache.set(BOOK_KEY, book, CACHE_SECONDS)
        found = history_load(**group, since=since, book=book)
        cache.set(key, found, CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class Prediction:
    date: date
    basis: str  # "history" or "commitments"
    samples: int
    place: Place | None = None  # the application's place in its queue


def _after_leaving(samples: list[Sample]) -> timedelta | None:
    values = [s.remaining - s.stay for s in samples]
    return median(values) if values else None


def _day_of(moment: datetime) -> date:
    """The day work finishing at `moment` is done: a moment at midnight closes the day before."""
    return timezone.localdate(moment - timedelta(microseconds=1))


def predict(
    application: Application,
    *,
    as_of: datetime | None = None,
    history: History | None = None,
    entries=None,
    calendar: WorkingTime | None = None,
    book: QueueBook | None = None,
) -> Prediction | None:
    """When this open application is predicted to be completed, seen at `as_of` (default now).

    With a `book` (a replay), the queue is counted from the timeline as it was at `as_of`;
    without, from the database now (the survey slots, the county's open work, the departments'
    open tasks)."""
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
    # `ahead` is counted as the history counted it (the county's applications in the same
    # queue), whatever the queue's own places are (survey seats, department tasks).
    if book is not None:
        ahead = book.ahead(application.supply_county_id, state, entered, as_of)
        place = Place(queue_of(state), ahead + 1)
    else:
        place = queue_now(application, as_of, calendar)
        if place is not None and place.queue not in (SURVEY, DEPARTMENTS):
            ahead = place.position - 1
        else:
            ahead = ahead_now(application, entered)
    history = history if history is not None else history_for(application)
    samples = history.of(state, before=as_of)
    after = _after_leaving(samples) if samples else timedelta(0)
    elapsed = calendar.span(entered, as_of)
    if samples:
        still_here = [s for s in samples if s.stay >= elapsed]
        if still_here:
            cost = history.cost_per_place(state, as_of, elapsed, still_here)
            left = median(
                s.remaining
                - elapsed
                + (cost * (ahead - s.ahead) if cost and s.ahead is not None else timedelta(0))
                for s in still_here
            )
        else:
            left = after
        basis = "history"
    else:
        whole = commitments_for(application).get(Phase.WHOLE)
        if whole is None:
            return None
        clocks = application_clocks(application, now=as_of, entries=entries, calendar=calendar)
        left = max(whole.limit_days * DAY - clocks.utility.working, DAY)
        basis = "commitments"
    moment = calendar.add(as_of, max(left, timedelta(0)))
    if place is not None and place.floor is not None:
        # Not before the queue lets it go (the survey slot, the departments' decisions), plus
        # what usually follows leaving this state.
        moment = max(moment, calendar.add(place.floor, after))
    return Prediction(_day_of(moment), basis, len(samples), place)


def queue_position(application: Application) -> int | None:
    """The application's place in the queue it waits in now (see `promises.queues`)."""
    now = timezone.now()
    calendar = WorkingTime(timezone.localdate(now), timezone.localdate(now) + timedelta(days=60))
    place = queue_now(application, now, calendar)
    return place.position if place else None
