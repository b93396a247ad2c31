"""Recount every figure from the source tables and compare it with the counters kept as the
work happened. Reads the applications in chunks, so a million of them never sit in memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from applications.models import Application

from .counting import (
    FACT_FIELDS,
    SOURCE_FIELDS,
    Tally,
    WorkdayCounter,
    fact_of,
    procedures_of,
    tally_save,
)
from .models import ApplicationFact, KpiCell, KpiSpread

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
        yield [(r["pk"], fact_of(r, procedures.get(r["pk"], 0), counter)) for r in rows]


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
        for pk, fact in batch:
            tally.add(fact)
            if stored.get(pk) != fact:
                differences.append(f"application {pk}: counted {stored.get(pk)}, is {fact}")
                if fix:
                    if fact is None:
                        ApplicationFact.objects.filter(pk=pk).delete()
                    else:
                        ApplicationFact.objects.update_or_create(application_id=pk, defaults=fact)
    stored_cells = {
        tuple(row[k] for k in KpiCell.KEY): {m: row[m] for m in KpiCell.MEASURES}
        for row in KpiCell.objects.values(*KpiCell.KEY, *KpiCell.MEASURES)
    }
    expected_cells = tally.changed_cells()
    zero = dict.fromkeys(KpiCell.MEASURES, 0)
    for key in sorted(set(stored_cells) | set(expected_cells), key=_describe):
        have, want = stored_cells.get(key, zero), expected_cells.get(key, zero)
        for measure in KpiCell.MEASURES:
            if have[measure] != want[measure]:
                differences.append(
                    f"cell {_describe(key)} {measure}: counted {have[measure]}, is {want[measure]}"
                )
    stored_spreads = {
        tuple(row[k] for k in KpiSpread.KEY): row["count"]
        for row in KpiSpread.objects.values(*KpiSpread.KEY, "count")
    }
    expected_spreads = tally.changed_spreads()
    for key in sorted(set(stored_spreads) | set(expected_spreads), key=_describe):
        have, want = stored_spreads.get(key, 0), expected_spreads.get(key, 0)
        if have != want:
            differences.append(f"spread {_describe(key)}: counted {have}, is {want}")
    if fix and differences:
        with transaction.atomic():
            KpiCell.objects.all().delete()
            KpiSpread.objects.all().delete()
            tally_save(tally)
    return differences
