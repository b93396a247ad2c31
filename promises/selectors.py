"""The supervisors' list of compensation: every application whose utility time has passed its
whole-process commitment, open ones accruing and completed ones credited. Which ones are late
is kept at every step (`ApplicationPromise.owed_from`), so the list is one indexed, paginated
query; the exact amounts are worked out for the page shown only, in a fixed number of queries
however many applications there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from applications.models import Application, State, TimelineEntry
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


def compensation_late(now=None) -> QuerySet[Application]:
    """Applications accruing compensation (or that did) and those credited, longest late first."""
    now = now or timezone.now()
    credited = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COMPENSATION)
    return Application.objects.filter(
        Q(promise__owed_from__lte=now) | Q(pk__in=credited.values("application_id"))
    ).order_by(F("promise__owed_from").asc(nulls_last=True), "id")


def compensation_rows(page: list[Application] | QuerySet[Application]) -> list[CompensationRow]:
    """The exact accrual of each application of one page."""
    now = timezone.now()
    ids = [a.pk for a in page]
    if not ids:
        return []
    sets = list(CommitmentSet.objects.order_by("effective_from", "id"))
    by_set = _whole_commitments()
    credited = {e.application_id: e for e in LedgerEntry.objects.filter(application_id__in=ids)}
    kept = dict(
        ApplicationPromise.objects.filter(application_id__in=ids).values_list(
            "application_id", "commitment_set_id"
        )
    )
    applications = list(
        Application.objects.filter(pk__in=ids)
        .select_related("supply_county")
        .prefetch_related(
            Prefetch("timeline", queryset=TimelineEntry.objects.order_by("created_at", "id")),
            Prefetch(
                "approval_tasks",
                queryset=ApprovalTask.objects.filter(returned_at__isnull=False),
                to_attr="returned_tasks",
            ),
        )
    )
    if not applications:
        return []
    applications.sort(key=lambda a: ids.index(a.pk))
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
        rows.append(CompensationRow(application, owed, credited.get(application.pk)))
    return rows


def _in_force(sets: list[CommitmentSet], application: Application) -> int | None:
    day = timezone.localdate(application.submitted_at or application.created_at)
    found = [s.pk for s in sets if s.effective_from <= day]
    return found[-1] if found else None
