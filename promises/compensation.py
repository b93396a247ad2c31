"""Compensation for delay: once the utility's clock passes the whole-process commitment, each
working day late accrues the configured rate. Only the utility's time counts — never the
applicant's, never the departments'. At completion the amount is credited to the electricity
account as one ledger entry, exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from applications.models import Application, State

from .clocks import Clocks, application_clocks
from .commitments import commitments_for
from .models import Commitment, LedgerEntry, Phase, yuan
from .worktime import DAY


@dataclass(frozen=True)
class Accrual:
    commitment: Commitment | None
    limit_days: int | None
    utility_days: float
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
        return Accrual(None, None, used / DAY, 0, 0, 0)
    days_late = max(0, used // DAY - whole.limit_days)
    rate = whole.compensation_fen_per_day
    return Accrual(whole, whole.limit_days, used / DAY, days_late, rate, days_late * rate)


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
