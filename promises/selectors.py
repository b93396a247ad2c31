"""The supervisors' list of compensation: every application whose utility time has passed its
whole-process commitment, open ones accruing and completed ones credited. Counted in a fixed
number of queries, however many applications there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from applications.models import TERMINAL_STATES, Application, State, TimelineEntry
from approvals.models import ApprovalTask

from .clocks import application_clocks
from .compensation import Accrual, accrual
from .models import ApplicationPromise, Commitment, CommitmentSet, LedgerEntry, Phase
from .worktime import WorkingTime


@dataclass
class CompensationRow:
    application: Application
    accrual: Accrual
    credited: LedgerEntry | None


def _whole_commitments() -> dict[int, list[Commitment]]:
    by_set: dict[int, list[Commitment]] = {}
    for row in Commitment.objects.filter(phase=Phase.WHOLE):
        by_set.setdefault(row.commitment_set_id, []).append(row)
    return by_set


def _best(rows: list[Commitment], application: Application) -> Commitment | None:
    fitting = [
        r
        for r in rows
        if r.voltage == application.voltage
        and r.kind in ("", application.kind)
        and r.customer_type in ("", application.customer_type)
    ]
    return max(fitting, key=lambda r: bool(r.kind) + bool(r.customer_type), default=None)


def compensation_rows() -> list[CompensationRow]:
    now = timezone.now()
    sets = list(CommitmentSet.objects.order_by("effective_from", "id"))
    by_set = _whole_commitments()
    credited = {e.application_id: e for e in LedgerEntry.objects.all()}
    kept = dict(ApplicationPromise.objects.values_list("application_id", "commitment_set_id"))
    shortest = min((r.limit_days for rows in by_set.values() for r in rows), default=0)
    # Only applications that have been open for longer than the shortest limit can be late.
    open_long_enough = Q(submitted_at__lt=now - timedelta(days=shortest)) & ~Q(
        state__in=[State.DRAFT, *TERMINAL_STATES]
    )
    applications = list(
        Application.objects.filter(open_long_enough | Q(pk__in=list(credited)))
        .select_related("supply_county")
        .prefetch_related(
            Prefetch("timeline", queryset=TimelineEntry.objects.order_by("created_at", "id")),
            Prefetch(
                "approval_tasks",
                queryset=ApprovalTask.objects.filter(returned_at__isnull=False),
                to_attr="returned_tasks",
            ),
        )
        .order_by("submitted_at", "id")
    )
    if not applications:
        return []
    start = min(a.submitted_at or a.created_at for a in applications)
    calendar = WorkingTime(timezone.localdate(start), timezone.localdate(now) + timedelta(days=1))
    rows = []
    for application in applications:
        version_id = kept.get(application.pk) or _in_force(sets, application)
        whole = _best(by_set.get(version_id, []), application)
        end = application.completed_at if application.state == State.COMPLETED else now
        clocks = application_clocks(
            application,
            now=end,
            entries=list(application.timeline.all()),
            tasks=application.returned_tasks,
            calendar=calendar,
        )
        owed = accrual(application, clocks, {Phase.WHOLE: whole} if whole else {})
        if owed.amount_fen > 0 or application.pk in credited:
            rows.append(CompensationRow(application, owed, credited.get(application.pk)))
    return rows


def _in_force(sets: list[CommitmentSet], application: Application) -> int | None:
    day = timezone.localdate(application.submitted_at or application.created_at)
    found = [s.pk for s in sets if s.effective_from <= day]
    return found[-1] if found else None
