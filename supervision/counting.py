"""What one application counts for, and the counters kept from it.

`fact_of` is the one rule that turns an application's rows into its figures; the step's
receiver, `seed_history` and `reconcile_kpis` all use it, so the counters kept as work happens
and the recount from the source tables cannot follow two rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from applications.models import Application, Channel, Kind, State, TimelineEntry, Voltage
from approvals.calendar import WorkingDays
from portal.models import Role

from .models import ApplicationFact, KpiCell, KpiSpread

# The published limits from submission to power-on, in working days (the utility's service
# commitments of the 2023 reform: low voltage 5, capacity increases 5, high voltage 22,
# a transfer 3). Until the versioned table of time limits lands, they are kept here.
PUBLISHED_LIMITS = {
    (Kind.NEW_CONNECTION, Voltage.LOW): 5,
    (Kind.CAPACITY_INCREASE, Voltage.LOW): 5,
    (Kind.NEW_CONNECTION, Voltage.HIGH): 22,
    (Kind.CAPACITY_INCREASE, Voltage.HIGH): 22,
    (Kind.TRANSFER, Voltage.LOW): 3,
    (Kind.TRANSFER, Voltage.HIGH): 3,
}


def published_limits() -> list[dict]:
    """The limits as the public page lists them."""
    return [
        {"kind": Kind(kind).label, "voltage": Voltage(voltage).label, "workdays": days}
        for (kind, voltage), days in PUBLISHED_LIMITS.items()
    ]


ONLINE_CHANNELS = tuple(c for c in Channel.values if c != Channel.COUNTER)

# The applicant's interactions: what they did themselves, or at a counter through a clerk.
PROCEDURE_ROLES = (Role.APPLICANT, Role.CLERK)

# The columns of an application `fact_of` reads.
SOURCE_FIELDS = (
    "pk",
    "submitted_at",
    "completed_at",
    "supply_county_id",
    "kind",
    "voltage",
    "channel",
    "state",
    "verification_outcome",
    "documents_requested",
    "scheme_fee",
    "rating",
)

FACT_FIELDS = (
    "month",
    "city_code",
    "county_code",
    "kind",
    "voltage",
    "channel",
    "state",
    "certificates",
    "procedures",
    "days",
    "workdays",
    "within_limit",
    "cost_fen",
    "rating",
)


class WorkdayCounter:
    """Working days between two dates on the Chinese calendar (approvals' calendar), read once
    for a whole range so a million applications are counted without a million look-ups."""

    def __init__(self, start: date, end: date) -> None:
        calendar = WorkingDays(start, end)
        self.start, self.end = start, end
        self.ordinal: dict[date, int] = {}
        self.workdays: list[date] = []
        day = start
        while day <= end:
            if calendar.is_workday(day)[0]:
                self.workdays.append(day)
            self.ordinal[day] = len(self.workdays)
            day += timedelta(days=1)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        if end <= start:
            return 0
        return self.ordinal[end] - self.ordinal[start]

    def add(self, start: date, days: int) -> date:
        """The `days`-th working day after `start`."""
        return self.workdays[self.ordinal[start] + days - 1]


def fen(amount: Decimal | None) -> int:
    return int((amount or Decimal(0)) * 100)


def fact_of(row: dict[str, Any], procedures: int, workdays: WorkdayCounter | None = None):
    """The figures of one application (`row`: the SOURCE_FIELDS), or None before submission."""
    if row["submitted_at"] is None:
        return None
    submitted = timezone.localdate(row["submitted_at"])
    county = row["supply_county_id"]
    fact = {
        "month": submitted.replace(day=1),
        "city_code": county[:4] + "00",
        "county_code": county,
        "kind": row["kind"],
        "voltage": row["voltage"],
        "channel": row["channel"],
        "state": row["state"],
        "certificates": (len(row["documents_requested"]) if row["verification_outcome"] else None),
        "procedures": procedures,
        "days": None,
        "workdays": None,
        "within_limit": None,
        "cost_fen": 0,
        "rating": row["rating"],
    }
    if row["state"] == State.COMPLETED and row["completed_at"] is not None:
        completed = timezone.localdate(row["completed_at"])
        counter = workdays or WorkdayCounter(submitted, max(submitted, completed))
        fact["days"] = max((completed - submitted).days, 0)
        fact["workdays"] = counter.between(submitted, completed)
        limit = PUBLISHED_LIMITS[(row["kind"], row["voltage"])]
        fact["within_limit"] = fact["workdays"] <= limit
        fact["cost_fen"] = fen(row["scheme_fee"])
    return fact


def contribution(fact: dict[str, Any]) -> tuple[tuple, dict[str, int], list[tuple]]:
    """The cell a fact falls in, what it adds to each measure, and its spread entries."""
    completed = fact["state"] == State.COMPLETED and fact["days"] is not None
    certificates = fact["certificates"]
    measures = {
        "submitted": 1,
        "completed": int(completed),
        "rejected": int(fact["state"] == State.REJECTED),
        "withdrawn": int(fact["state"] == State.WITHDRAWN),
        "verified": int(certificates is not None),
        "zero_cert": int(certificates == 0),
        "one_cert": int(certificates == 1),
        "procedures": fact["procedures"] if completed else 0,
        "days": fact["days"] if completed else 0,
        "workdays": fact["workdays"] if completed else 0,
        "within_limit": int(bool(completed and fact["within_limit"])),
        "cost_fen": fact["cost_fen"] if completed else 0,
        "rated": int(fact["rating"] is not None),
        "rating": fact["rating"] or 0,
    }
    cell = tuple(fact[k] for k in KpiCell.KEY)
    spreads = []
    if completed:
        base = (fact["month"], fact["city_code"], fact["kind"], fact["voltage"])
        spreads = [
            (*base, KpiSpread.Measure.DAYS.value, fact["days"]),
            (*base, KpiSpread.Measure.WORKDAYS.value, fact["workdays"]),
            (*base, KpiSpread.Measure.PROCEDURES.value, fact["procedures"]),
        ]
    return cell, measures, spreads


class Tally:
    """Cell and spread sums over many facts (signed: a fact's old figures are taken away)."""

    def __init__(self) -> None:
        self.cells: dict[tuple, dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(KpiCell.MEASURES, 0)
        )
        self.spreads: dict[tuple, int] = defaultdict(int)

    def add(self, fact: dict[str, Any] | None, sign: int = 1) -> None:
        if fact is None:
            return
        cell, measures, spreads = contribution(fact)
        sums = self.cells[cell]
        for name, value in measures.items():
            sums[name] += sign * value
        for key in spreads:
            self.spreads[key] += sign

    def changed_cells(self) -> dict[tuple, dict[str, int]]:
        return {k: v for k, v in self.cells.items() if any(v.values())}

    def changed_spreads(self) -> dict[tuple, int]:
        return {k: v for k, v in self.spreads.items() if v}


def _upsert(model, key: tuple[str, ...], sums: list[str], rows: Iterable[tuple]) -> None:
    """Add to the counters of existing rows, insert the rows not there yet: one statement per
    row, safe when two transactions add to the same row at once (INSERT … ON CONFLICT)."""
    table = connection.ops.quote_name(model._meta.db_table)
    unique = next(c for c in model._meta.constraints).fields
    columns = [*key, *sums]
    quoted = [connection.ops.quote_name(c) for c in columns]
    updates = ", ".join(f"{q} = {table}.{q} + excluded.{q}" for q in quoted[len(key) :])
    values = ", ".join(["%s"] * len(columns))
    conflict = ", ".join(connection.ops.quote_name(c) for c in unique)
    # Only names from the model's own meta are formatted in; every value is a parameter.
    sql = f"INSERT INTO {table} ({', '.join(quoted)}) VALUES ({values}) "  # noqa: S608
    sql += f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    rows = [list(row) for row in rows]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def tally_save(tally: Tally) -> None:
    """Add a tally's sums to the stored counters."""
    _upsert(
        KpiCell,
        KpiCell.KEY,
        list(KpiCell.MEASURES),
        (
            (*cell, *(sums[m] for m in KpiCell.MEASURES))
            for cell, sums in tally.changed_cells().items()
        ),
    )
    _upsert(
        KpiSpread,
        KpiSpread.KEY,
        ["count"],
        ((*key, count) for key, count in tally.changed_spreads().items()),
    )


def procedures_of(application_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        TimelineEntry.objects.filter(
            application_id__in=list(application_ids), role__in=PROCEDURE_ROLES
        )
        .values("application_id")
        .annotate(n=Count("id"))
        .values_list("application_id", "n")
    )
    return dict(rows)


def stored_fact(application_id: int) -> dict[str, Any] | None:
    return ApplicationFact.objects.filter(pk=application_id).values(*FACT_FIELDS).first()


def kpis_count(*, application_id: int) -> None:
    """Count one application again and move the counters by the difference. Runs inside the
    transaction of the step (or rating) that changed it, under that application's row lock."""
    row = Application.objects.filter(pk=application_id).values(*SOURCE_FIELDS).first()
    new = None
    if row is not None:
        new = fact_of(row, procedures_of([application_id]).get(application_id, 0))
    old = stored_fact(application_id)
    if old == new:
        return
    tally = Tally()
    tally.add(old, -1)
    tally.add(new, +1)
    tally_save(tally)
    if new is None:
        ApplicationFact.objects.filter(pk=application_id).delete()
    else:
        ApplicationFact.objects.update_or_create(application_id=application_id, defaults=new)
