"""Recount every figure from the source tables and compare it with the counters kept as the
work happened. Reads the applications in chunks, so a million of them never sit in memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from applications.models import Application
from approvals.models import ApprovalTask
from govdata.models import GovCall
from promises.limits import WholeLimits

from .counting import (
    APPLICATION_DIMENSIONS,
    FACT_FIELDS,
    SOURCE_FIELDS,
    SPREADS,
    TASK_FACT_FIELDS,
    TASK_SOURCE,
    Tally,
    WorkdayCounter,
    call_fact_of,
    fact_of,
    procedures_of,
    tally_save,
    task_fact_of,
)
from .models import ApplicationFact, CallCell, KpiCell, TaskCell, TaskFact

CHUNK = 5000


def workday_counter_for(queryset) -> WorkdayCounter | None:
    """One calendar read for the whole range of submission and completion dates."""
    bounds = queryset.aggregate(
        first=Min("submitted_at"), last=Max("completed_at"), last_submitted=Max("submitted_at")
    )
    if bounds["first"] is None:
        return None
    last = max(filter(None, (bounds["last"], bounds["last_submitted"])))
    start = timezone.localdate(bounds["first"]) - timedelta(days=1)
    return WorkdayCounter(start, timezone.localdate(last) + timedelta(days=1))


def expected_facts(chunk: int = CHUNK) -> Iterator[list[tuple[int, dict | None]]]:
    """(application id, its figures) for every application, a chunk at a time."""
    submitted = Application.objects.filter(submitted_at__isnull=False)
    counter = workday_counter_for(submitted)
    limits = WholeLimits()
    last = 0
    while True:
        rows = list(
            Application.objects.filter(pk__gt=last).order_by("pk").values(*SOURCE_FIELDS)[:chunk]
        )
        if not rows:
            return
        last = rows[-1]["pk"]
        submitted_ids = [r["pk"] for r in rows if r["submitted_at"] is not None]
        procedures = procedures_of(submitted_ids) if submitted_ids else {}
        yield [(r["pk"], fact_of(r, procedures.get(r["pk"], 0), counter, limits)) for r in rows]


def expected_task_facts(chunk: int = CHUNK) -> Iterator[list[tuple[int, dict]]]:
    last = 0
    while True:
        rows = list(
            ApprovalTask.objects.filter(pk__gt=last).order_by("pk").values(*TASK_SOURCE)[:chunk]
        )
        if not rows:
            return
        last = rows[-1]["pk"]
        yield [(r["pk"], task_fact_of(r)) for r in rows]


def expected_call_facts(chunk: int = CHUNK) -> Iterator[dict]:
    last = 0
    fields = ("pk", "created_at", "service", "outcome", "latency_ms", "application_id")
    while True:
        calls = list(GovCall.objects.filter(pk__gt=last).order_by("pk").values(*fields)[:chunk])
        if not calls:
            return
        last = calls[-1]["pk"]
        ids = {c["application_id"] for c in calls if c["application_id"]}
        applications = {
            row.pop("pk"): row
            for row in Application.objects.filter(pk__in=ids).values("pk", *APPLICATION_DIMENSIONS)
        }
        for call in calls:
            yield call_fact_of(call, applications.get(call["application_id"]))


def _compare_cells(model, expected: dict[tuple, dict[str, int]], differences: list[str]) -> None:
    stored = {
        tuple(row[k] for k in model.KEY): {m: row[m] for m in model.MEASURES}
        for row in model.objects.values(*model.KEY, *model.MEASURES)
    }
    zero = dict.fromkeys(model.MEASURES, 0)
    name = model._meta.model_name
    for key in sorted(set(stored) | set(expected), key=_describe):
        have, want = stored.get(key, zero), expected.get(key, zero)
        for measure in model.MEASURES:
            if have[measure] != want[measure]:
                differences.append(
                    f"{name} {_describe(key)} {measure}: counted {have[measure]}, "
                    f"is {want[measure]}"
                )


def _describe(key: tuple) -> str:
    return " ".join(f"{v:%Y-%m}" if hasattr(v, "strftime") else str(v) for v in key)


def kpis_reconcile(*, fix: bool = False, chunk: int = CHUNK) -> list[str]:
    """Every difference between the counters and a recount, as a line; with `fix`, the
    counters are replaced by the recount (run it while no work is being done)."""
    differences: list[str] = []
    tally = Tally()
    for batch in expected_facts(chunk):
        ids = [pk for pk, _ in batch]
        stored = {
            row.pop("application_id"): row
            for row in ApplicationFact.objects.filter(pk__in=ids).values(
                "application_id", *FACT_FIELDS
            )
        }
        missing = []
        for pk, fact in batch:
            tally.add(fact)
            if stored.get(pk) != fact:
                differences.append(f"application {pk}: counted {stored.get(pk)}, is {fact}")
                if not fix:
                    continue
                if fact is None:
                    ApplicationFact.objects.filter(pk=pk).delete()
                elif pk not in stored:
                    missing.append(ApplicationFact(application_id=pk, **fact))
                else:
                    ApplicationFact.objects.filter(pk=pk).update(**fact)
        ApplicationFact.objects.bulk_create(missing)
    for batch in expected_task_facts(chunk):
        stored = {
            row.pop("task_id"): row
            for row in TaskFact.objects.filter(pk__in=[pk for pk, _ in batch]).values(
                "task_id", *TASK_FACT_FIELDS
            )
        }
        missing = []
        for pk, fact in batch:
            tally.add_task(fact)
            if stored.get(pk) != fact:
                differences.append(f"task {pk}: counted {stored.get(pk)}, is {fact}")
                if not fix:
                    continue
                if pk in stored:
                    TaskFact.objects.filter(pk=pk).update(**fact)
                else:
                    missing.append(TaskFact(task_id=pk, **fact))
        TaskFact.objects.bulk_create(missing)
    for fact in expected_call_facts(chunk):
        tally.add_call(fact)
    for model in (KpiCell, TaskCell, CallCell):
        _compare_cells(model, tally.changed(model), differences)
    for spread in SPREADS:
        stored_spreads = {
            tuple(row[k] for k in spread.KEY): row["count"]
            for row in spread.objects.values(*spread.KEY, "count")
        }
        expected_spreads = tally.changed_spreads(spread)
        name = spread._meta.model_name
        for key in sorted(set(stored_spreads) | set(expected_spreads), key=_describe):
            have, want = stored_spreads.get(key, 0), expected_spreads.get(key, 0)
            if have != want:
                differences.append(f"{name} {_describe(key)}: counted {have}, is {want}")
    if fix and differences:
        with transaction.atomic():
            for model in (KpiCell, TaskCell, CallCell, *SPREADS):
                model.objects.all().delete()
            tally_save(tally)
    return differences
