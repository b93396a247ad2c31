"""The three clocks: every moment of an application's life, from submission to its end (or now),
attributed to the utility, the agencies (government platform, departments) or the applicant,
from the timeline. A permit task returned to the applicant with a question moves the time it
waits for the answer from the agencies to the applicant."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import TERMINAL_STATES, Application, State
from approvals.models import ApprovalTask

from .worktime import WorkingTime, calendar_for, in_days


class Party(models.TextChoices):
    UTILITY = "utility", _("The utility")
    AGENCIES = "agencies", _("Government departments and platform")
    APPLICANT = "applicant", _("The applicant")


# Whose turn it is in each state. Draft is before the clock starts; terminal states stop it.
PARTY_OF_STATE: dict[str, str] = {
    State.VERIFYING: Party.AGENCIES,  # the government data-sharing platform answers
    State.NEEDS_DOCUMENTS: Party.APPLICANT,
    State.PENDING_ACCEPTANCE: Party.UTILITY,
    State.ACCEPTED: Party.APPLICANT,  # booking the site survey
    State.SURVEY_SCHEDULED: Party.UTILITY,
    State.SCHEME_OFFERED: Party.APPLICANT,  # confirming the scheme (and paying a quoted fee)
    State.WORKS_FILING: Party.APPLICANT,  # signing the commitment
    State.WORKS_PERMITTING: Party.AGENCIES,
    State.PERMITS_REJECTED: Party.UTILITY,  # revising the scheme or the route
    State.CONSTRUCTION: Party.UTILITY,
    State.INSPECTION: Party.UTILITY,
    State.CONSENT_PENDING: Party.APPLICANT,  # the applicant's side: the current holder consents
    State.SETTLEMENT_PENDING: Party.APPLICANT,  # paying the arrears
    State.CONTRACT_PENDING: Party.APPLICANT,
    State.CONNECTING: Party.UTILITY,
}


@dataclass
class Span:
    working: timedelta = timedelta(0)  # time on working days
    calendar: timedelta = timedelta(0)  # all time

    @property
    def working_days(self) -> Decimal:
        return in_days(self.working)

    @property
    def calendar_days(self) -> Decimal:
        return in_days(self.calendar)


@dataclass
class Segment:
    party: str
    state: str
    start: datetime
    end: datetime


@dataclass
class Clocks:
    utility: Span = field(default_factory=Span)
    agencies: Span = field(default_factory=Span)
    applicant: Span = field(default_factory=Span)
    elapsed: Span = field(default_factory=Span)
    turn: str | None = None  # whose turn it is now; None once the application has ended
    segments: list[Segment] = field(default_factory=list)

    def of(self, party: str) -> Span:
        return getattr(self, party)

    def as_dict(self) -> dict:
        def span(s: Span) -> dict:
            return {
                "working_days": s.working_days,
                "calendar_days": s.calendar_days,
            }

        return {
            "turn": self.turn,
            "utility": span(self.utility),
            "agencies": span(self.agencies),
            "applicant": span(self.applicant),
            "elapsed": span(self.elapsed),
        }


def state_segments(entries, end: datetime) -> list[tuple[str, datetime, datetime]]:
    """(state, entered, left) for each stay after submission, from the timeline entries in order;
    the last stay lasts until `end` unless it is a terminal state."""
    stays = []
    for entry, following in zip(entries, [*entries[1:], None], strict=True):
        if entry.to_state == State.DRAFT or entry.to_state in TERMINAL_STATES:
            continue
        left = following.created_at if following is not None else end
        stays.append((entry.to_state, entry.created_at, max(entry.created_at, left)))
    return stays


def _returned_intervals(tasks, end: datetime) -> list[tuple[datetime, datetime]]:
    """When some permit task waited for the applicant's answer, merged."""
    spans = sorted(
        (t.returned_at, t.answered_at if t.answered_at and t.answered_at > t.returned_at else end)
        for t in tasks
        if t.returned_at is not None
    )
    merged: list[list[datetime]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def _split(party, state, lo, hi, returned) -> list[Segment]:
    """A stay in permitting split where a task waited for the applicant."""
    if state != State.WORKS_PERMITTING or not returned:
        return [Segment(party, state, lo, hi)]
    out, cursor = [], lo
    for r_lo, r_hi in returned:
        a, b = max(r_lo, lo), min(r_hi, hi)
        if b <= a:
            continue
        if a > cursor:
            out.append(Segment(party, state, cursor, a))
        out.append(Segment(Party.APPLICANT, state, a, b))
        cursor = b
    if cursor < hi:
        out.append(Segment(party, state, cursor, hi))
    return out


def application_clocks(
    application: Application,
    *,
    now: datetime | None = None,
    entries=None,
    tasks=None,
    calendar: WorkingTime | None = None,
) -> Clocks:
    """The three clocks of one application at `now` (default: the present). Pass `entries`
    (its timeline in order), `tasks` (its permit tasks) and one `calendar` to count many
    applications without a query each."""
    now = now or timezone.now()
    if entries is None:
        entries = list(application.timeline.order_by("created_at", "id"))
    entries = [e for e in entries if e.created_at <= now]
    if tasks is None:
        tasks = list(
            ApprovalTask.objects.filter(application_id=application.pk, returned_at__isnull=False)
        )
    clocks = Clocks()
    if not entries:
        return clocks
    calendar = calendar or calendar_for(entries[0].created_at, now)
    returned = _returned_intervals(tasks, now)
    for state, lo, hi in state_segments(entries, now):
        party = PARTY_OF_STATE.get(state)
        if party is None:
            continue
        clocks.segments.extend(_split(party, state, lo, hi, returned))
    for segment in clocks.segments:
        working = calendar.span(segment.start, segment.end)
        for span in (clocks.of(segment.party), clocks.elapsed):
            span.working += working
            span.calendar += segment.end - segment.start
    last = entries[-1].to_state
    if last not in TERMINAL_STATES and last != State.DRAFT:
        clocks.turn = clocks.segments[-1].party if clocks.segments else PARTY_OF_STATE.get(last)
    return clocks
