"""Compensation for delay: once the utility's clock passes the whole-process commitment, each
working day late accrues the configured rate. Only the utility's time counts — never the
applicant's, never the departments'. At completion the amount is credited to the electricity
account as one ledger entry, exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction

from applications.models import Application, State

from .clocks import Clocks, Party, application_clocks
from .commitments import commitment_set_of, commitments_for
from .models import ApplicationPromise, Commitment, LedgerEntry, Phase, yuan
from .worktime import DAY, WorkingTime, calendar_for, in_days


@dataclass(frozen=True)
class Accrual:
    commitment: Commitment | None
    limit_days: int | None
    utility_days: Decimal
    days_late: int
    rate_fen: int
    amount_fen: int

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount_fen)


def accrual(application: Application, clocks: Clocks, commitments: dict | None = None) -> Accrual:
    """What is owed now for the utility's time on `clocks`."""
    commitments = commitments if commitments is not None else commitments_for(application)
    whole = commitments.get(Phase.WHOLE)
    used = clocks.utility.working
    if whole is None:
        return Accrual(None, None, in_days(used), 0, 0, 0)
    days_late = max(0, used // DAY - whole.limit_days)
    rate = whole.compensation_fen_per_day
    return Accrual(whole, whole.limit_days, in_days(used), days_late, rate, days_late * rate)


def owed_from(
    whole: Commitment | None, clocks: Clocks, at: datetime, calendar: WorkingTime
) -> datetime | None:
    """When compensation starts to accrue, seen at `at`: the moment the utility's clock passed
    the limit by a whole working day, or will pass it if it runs on (the utility's turn now);
    never when it is stopped below (someone else's turn, ended) or there is no rate."""
    if whole is None or not whole.compensation_fen_per_day:
        return None
    threshold = (whole.limit_days + 1) * DAY
    used = timedelta(0)
    for segment in clocks.segments:
        if segment.party != Party.UTILITY:
            continue
        span = calendar.span(segment.start, segment.end)
        if used + span >= threshold:
            return calendar.add(segment.start, threshold - used)  # when it passed
        used += span
    if clocks.turn == Party.UTILITY:
        return calendar.add(at, threshold - clocks.utility.working)
    return None


def accrual_keep(*, application: Application, at: datetime) -> ApplicationPromise | None:
    """After each step (and for applications from before this was kept: `promises_refresh`):
    store the utility's time and when compensation accrues from, for the supervisors' list."""
    promise = ApplicationPromise.objects.filter(application=application).first()
    if promise is None:
        version = commitment_set_of(application)
        if version is None:
            return None
        promise = ApplicationPromise(
            application=application,
            commitment_set=version,
            filed_at=application.submitted_at or at,
        )
    calendar = calendar_for(application.submitted_at or application.created_at, at)
    clocks = application_clocks(application, now=at, calendar=calendar)
    whole = commitments_for(application, promise.commitment_set).get(Phase.WHOLE)
    starts = owed_from(whole, clocks, at, calendar)
    promise.utility_at_step, promise.step_at, promise.owed_from = clocks.utility.working, at, starts
    promise.save()
    return promise


def compensation_accrued(application: Application, *, now: datetime | None = None) -> Accrual:
    end = application.completed_at if application.state == State.COMPLETED else now
    return accrual(application, application_clocks(application, now=end))


def compensation_credit(*, application_id: int) -> LedgerEntry | None:
    """Credit a completed application's compensation to its account: at most one entry, however
    often and however concurrently this runs (the row lock orders the callers, the unique
    constraint holds even without it)."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("account")
            .get(pk=application_id)
        )
        return _credit(application)


def _credit(application: Application) -> LedgerEntry | None:
    if application.state != State.COMPLETED or application.account_id is None:
        return None
    existing = LedgerEntry.objects.filter(
        application=application, kind=LedgerEntry.Kind.COMPENSATION
    ).first()
    if existing is not None:
        return existing
    owed = compensation_accrued(application)
    if owed.amount_fen <= 0:
        return None
    entry, _ = LedgerEntry.objects.get_or_create(
        application=application,
        kind=LedgerEntry.Kind.COMPENSATION,
        defaults={
            "account_id": application.account_id,
            "amount_fen": owed.amount_fen,
            "days_late": owed.days_late,
            "rate_fen": owed.rate_fen,
            "commitment": owed.commitment,
        },
    )
    return entry


def compensation_on_completion(*, application: Application) -> LedgerEntry | None:
    """Inside the completing step's transaction (the application row is already locked)."""
    return _credit(application)
