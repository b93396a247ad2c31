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
from django.utils.translation import gettext as _

from applications.models import Application, Channel, Kind, State, TimelineEntry, Voltage
from approvals.models import ApprovalTask
from govdata.models import GovCall
from portal.calendar import WorkingDays
from portal.models import CustomerType, Role
from promises.limits import WholeLimits

from .models import (
    ApplicationFact,
    CallCell,
    ChannelSpread,
    KpiCell,
    KpiSpread,
    TaskCell,
    TaskFact,
)


def published_limits() -> list[dict]:
    """The whole-process limits in force, as the public page lists them (from the commitments
    table: `promises.limits`)."""
    rows = sorted(WholeLimits().in_force(), key=lambda r: (r.kind, r.voltage, r.customer_type))
    return [
        {
            "kind": str(Kind(row.kind).label if row.kind else _("Connection")),
            "voltage": str(Voltage(row.voltage).label),
            "customer_type": str(CustomerType(row.customer_type).label)
            if row.customer_type
            else "",
            "workdays": row.limit_days,
        }
        for row in rows
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
    "customer_type",
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


def fact_of(
    row: dict[str, Any],
    procedures: int,
    workdays: WorkdayCounter | None = None,
    limits: WholeLimits | None = None,
):
    """The figures of one application (`row`: the SOURCE_FIELDS), or None before submission.
    Within the published limit: its working days from submission to power-on against the
    whole-process commitment of the version it was filed under (none there: not within)."""
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
        limit = (limits or WholeLimits()).limit(
            kind=row["kind"],
            voltage=row["voltage"],
            customer_type=row["customer_type"],
            on=submitted,
        )
        fact["within_limit"] = limit is not None and fact["workdays"] <= limit
        fact["cost_fen"] = fen(row["scheme_fee"])
    return fact


SPREADS = (KpiSpread, ChannelSpread)


def contribution(fact: dict[str, Any]) -> tuple[tuple, dict[str, int], dict[type, list[tuple]]]:
    """The cell a fact falls in, what it adds to each measure, and its entries in each spread
    (`SPREADS`: keyed by its KEY less the measure and value, then the measure and value)."""
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
    spreads: dict[type, list[tuple]] = {model: [] for model in SPREADS}
    if completed:
        values = [
            (KpiSpread.Measure.DAYS.value, fact["days"]),
            (KpiSpread.Measure.WORKDAYS.value, fact["workdays"]),
            (KpiSpread.Measure.PROCEDURES.value, fact["procedures"]),
        ]
        for model in SPREADS:
            base = tuple(fact[k] for k in model.KEY[:-2])
            spreads[model] = [(*base, *value) for value in values]
    return cell, measures, spreads


class Tally:
    """Sums over many facts for each kind of cell (signed: a fact's old figures are taken
    away)."""

    def __init__(self) -> None:
        self.cells: dict[type, dict[tuple, dict[str, int]]] = {
            model: defaultdict(lambda m=model: dict.fromkeys(m.MEASURES, 0))
            for model in (KpiCell, TaskCell, CallCell)
        }
        self.spreads: dict[type, dict[tuple, int]] = {m: defaultdict(int) for m in SPREADS}

    def _add_to(self, model, key: tuple, measures: dict[str, int], sign: int) -> None:
        sums = self.cells[model][key]
        for name, value in measures.items():
            sums[name] += sign * value

    def add(self, fact: dict[str, Any] | None, sign: int = 1) -> None:
        if fact is None:
            return
        cell, measures, spreads = contribution(fact)
        self._add_to(KpiCell, cell, measures, sign)
        for model, keys in spreads.items():
            for key in keys:
                self.spreads[model][key] += sign

    def add_task(self, fact: dict[str, Any] | None, sign: int = 1) -> None:
        if fact is None:
            return
        key = tuple(fact[k] for k in TaskCell.KEY)
        measures = {
            "dispatched": 1,
            "decided": int(fact["decided"]),
            "within_limit": int(fact["within_limit"]),
        }
        self._add_to(TaskCell, key, measures, sign)

    def add_call(self, fact: dict[str, Any]) -> None:
        key = tuple(fact[k] for k in CallCell.KEY)
        measures = {"calls": 1, "failures": int(fact["failed"]), "latency_ms": fact["latency_ms"]}
        self._add_to(CallCell, key, measures, 1)

    def changed(self, model) -> dict[tuple, dict[str, int]]:
        return {k: v for k, v in self.cells[model].items() if any(v.values())}

    def changed_cells(self) -> dict[tuple, dict[str, int]]:
        return self.changed(KpiCell)

    def changed_spreads(self, model=KpiSpread) -> dict[tuple, int]:
        return {k: v for k, v in self.spreads[model].items() if v}


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
    for model in (KpiCell, TaskCell, CallCell):
        _upsert(
            model,
            model.KEY,
            list(model.MEASURES),
            (
                (*key, *(sums[m] for m in model.MEASURES))
                for key, sums in tally.changed(model).items()
            ),
        )
    for model in SPREADS:
        _upsert(
            model,
            model.KEY,
            ["count"],
            ((*key, count) for key, count in tally.changed_spreads(model).items()),
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


# --- Department tasks and government-interface calls -----------------------------------------

DECIDED = (ApprovalTask.State.APPROVED, ApprovalTask.State.REJECTED)
GOV_FAILURES = ("timeout", "unreachable", "error", "unauthentic")
TASK_SOURCE = (
    "pk",
    "dispatched_at",
    "due_date",
    "state",
    "decided_at",
    "department__code",
    "department__city_id",
    "application__supply_county_id",
    "application__kind",
    "application__voltage",
    "application__channel",
)
TASK_FACT_FIELDS = (
    "month",
    "city_code",
    "county_code",
    "department",
    "kind",
    "voltage",
    "channel",
    "decided",
    "within_limit",
)
APPLICATION_DIMENSIONS = ("supply_county_id", "kind", "voltage", "channel")


def task_fact_of(row: dict[str, Any]) -> dict[str, Any]:
    """The figures of one department task: decided (approved or refused), and on or before
    its due date."""
    decided = row["state"] in DECIDED and row["decided_at"] is not None
    return {
        "month": timezone.localdate(row["dispatched_at"]).replace(day=1),
        "city_code": row["department__city_id"],
        "county_code": row["application__supply_county_id"],
        "department": row["department__code"],
        "kind": row["application__kind"],
        "voltage": row["application__voltage"],
        "channel": row["application__channel"],
        "decided": decided,
        "within_limit": decided and timezone.localdate(row["decided_at"]) <= row["due_date"],
    }


def call_fact_of(call: dict[str, Any], application: dict[str, Any] | None) -> dict[str, Any]:
    """The figures of one call: its month and service, and the application it was made for."""
    county = (application or {}).get("supply_county_id") or ""
    return {
        "month": timezone.localdate(call["created_at"]).replace(day=1),
        "service": call["service"],
        "city_code": county[:4] + "00" if county else "",
        "county_code": county,
        "kind": (application or {}).get("kind", ""),
        "voltage": (application or {}).get("voltage", ""),
        "channel": (application or {}).get("channel", ""),
        "failed": call["outcome"] in GOV_FAILURES,
        "latency_ms": call["latency_ms"],
    }


def tasks_count(*, task_id: int, deleted: bool = False) -> None:
    """Count one task again (it was saved, or is being deleted) and move the counters."""
    row = None if deleted else ApprovalTask.objects.filter(pk=task_id).values(*TASK_SOURCE).first()
    new = task_fact_of(row) if row else None
    old = TaskFact.objects.filter(pk=task_id).values(*TASK_FACT_FIELDS).first()
    if old == new:
        return
    tally = Tally()
    tally.add_task(old, -1)
    tally.add_task(new, +1)
    tally_save(tally)
    if new is None:
        TaskFact.objects.filter(pk=task_id).delete()
    else:
        TaskFact.objects.update_or_create(task_id=task_id, defaults=new)


def calls_count(*, call: GovCall) -> None:
    """Count one new call (calls are written once and never changed)."""
    application = None
    if call.application_id:
        application = (
            Application.objects.filter(pk=call.application_id)
            .values(*APPLICATION_DIMENSIONS)
            .first()
        )
    fields = {f: getattr(call, f) for f in ("created_at", "service", "outcome", "latency_ms")}
    tally = Tally()
    tally.add_call(call_fact_of(fields, application))
    tally_save(tally)
