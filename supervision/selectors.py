"""The supervisors' figures, read from the counters: a fixed number of queries however many
applications there are (tests/supervision/test_queries.py)."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from applications.models import Application, Channel, Kind, State, Voltage
from approvals.models import OverdueItem
from govdata.models import SERVICE_CHOICES, GovCall
from payments.money import FEN_PER_YUAN
from portal.models import Department as DepartmentCode
from portal.models import Division

from .counting import GOV_FAILURES, ONLINE_CHANNELS
from .forms import Filters
from .models import (
    ApplicationFact,
    CallCell,
    ChannelSpread,
    KpiCell,
    KpiSpread,
    TaskCell,
    TaskFact,
)

DAYS, WORKDAYS, PROCEDURES = (m.value for m in KpiSpread.Measure)

# The figures a number on the dashboard can be drilled into: the facts behind each.
FIGURES = {
    "submitted": Q(),
    "online": Q(channel__in=ONLINE_CHANNELS),
    "completed": Q(state=State.COMPLETED, days__isnull=False),
    "within_limit": Q(state=State.COMPLETED, within_limit=True),
    "beyond_limit": Q(state=State.COMPLETED, within_limit=False),
    "rejected": Q(state=State.REJECTED),
    "withdrawn": Q(state=State.WITHDRAWN),
    "zero_cert": Q(certificates=0),
    "one_cert": Q(certificates=1),
    "rated": Q(rating__isnull=False),
}


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _dimensions(filters: Filters, kinds: bool = True) -> Q:
    """City, and (`kinds`) kind and voltage."""
    q = Q()
    for field, value in (
        ("city_code", filters.city),
        ("kind", filters.kind if kinds else ""),
        ("voltage", filters.voltage if kinds else ""),
    ):
        if value:
            q &= Q(**{field: value})
    return q


def _months(filters: Filters) -> Q:
    q = Q()
    if filters.date_from:
        q &= Q(month__gte=filters.date_from)
    if filters.date_to:
        q &= Q(month__lte=filters.date_to)
    return q


def fact_q(filters: Filters) -> Q:
    q = _months(filters) & _dimensions(filters)
    if filters.county:
        q &= Q(county_code=filters.county)
    if filters.channel:
        q &= Q(channel=filters.channel)
    return q


def _period(filters: Filters, field: str) -> Q:
    """The period as a range of instants on a timestamp column."""
    zone = timezone.get_current_timezone()
    q = Q()
    if filters.date_from:
        q &= Q(**{f"{field}__gte": datetime.combine(filters.date_from, time(), zone)})
    if filters.date_to:
        end = datetime.combine(next_month(filters.date_to), time(), zone)
        q &= Q(**{f"{field}__lt": end})
    return q


def _place(filters: Filters) -> Q:
    """The dashboard's city, county, kind and voltage, on the application facts."""
    q = _dimensions(filters)
    return q & Q(county_code=filters.county) if filters.county else q


def _tasks(filters: Filters, department: str, within: bool | None) -> Q:
    """Applications with a department task counted in the figure (dispatched in the period,
    the dashboard's dimensions; `within` None: every decided task)."""
    tasks = TaskFact.objects.filter(fact_q(filters), decided=True)
    if within is not None:
        tasks = tasks.filter(within_limit=within)
    if department:
        tasks = tasks.filter(department=department)
    return Q(application_id__in=tasks.values("task__application_id"))


def _calls(filters: Filters, service: str, failed: bool) -> Q:
    """Applications with a government-interface call in the period (`failed`: one that
    failed), of one service or all."""
    calls = GovCall.objects.filter(_period(filters, "created_at"), application_id__isnull=False)
    if service:
        calls = calls.filter(service=service)
    if failed:
        calls = calls.filter(outcome__in=GOV_FAILURES)
    return Q(application_id__in=calls.values("application_id")) & _place(filters)


def _overdue_items(filters: Filters, department: str) -> Q:
    items = OverdueItem.objects.filter(_period(filters, "opened_at"))
    if department:
        items = items.filter(task__department__code=department)
    return Q(application_id__in=items.values("task__application_id")) & _place(filters)


# Figures of tasks, calls and overdue items drill down to the applications they concern; the
# `subject` narrows them to one department (tasks, overdue items) or one service (calls).
RELATED_FIGURES = {
    "tasks_decided": lambda filters, subject: _tasks(filters, subject, None),
    "tasks_within": lambda filters, subject: _tasks(filters, subject, True),
    "tasks_beyond": lambda filters, subject: _tasks(filters, subject, False),
    "calls": lambda filters, subject: _calls(filters, subject, False),
    "calls_failed": lambda filters, subject: _calls(filters, subject, True),
    "overdue": _overdue_items,
}
SUBJECTS = {
    "tasks_decided": "department",
    "tasks_within": "department",
    "tasks_beyond": "department",
    "overdue": "department",
    "calls": "service",
    "calls_failed": "service",
}
ALL_FIGURES = {*FIGURES, *RELATED_FIGURES}


def facts(filters: Filters, figure: str = "submitted", subject: str = "") -> QuerySet:
    """The applications behind a figure, newest first (the drill-down and its export)."""
    if figure in RELATED_FIGURES:
        q = RELATED_FIGURES[figure](filters, subject)
    else:
        q = fact_q(filters) & FIGURES[figure]
    return ApplicationFact.objects.filter(q).order_by("-month", "-application_id")


def percentile(pairs: list[tuple[int, int]], fraction: float) -> int | None:
    """Nearest-rank percentile of (value, count) pairs: the smallest value that at least
    `fraction` of the applications reach. Whole days, so the median is exact."""
    total = sum(n for _, n in pairs)
    if not total:
        return None
    rank, seen = max(1, math.ceil(total * fraction)), 0
    for value, n in sorted(pairs):
        seen += n
        if seen >= rank:
            return value
    return None


def distribution(pairs: list[tuple[int, int]]) -> dict[str, Any]:
    count = sum(n for _, n in pairs)
    mean = round(sum(v * n for v, n in pairs) / count, 1) if count else None
    return {
        "count": count,
        "median": percentile(pairs, 0.5),
        "p75": percentile(pairs, 0.75),
        "p90": percentile(pairs, 0.9),
        "mean": mean,
    }


def _spread(filters: Filters, by: tuple[str, ...], measures: tuple[str, ...]) -> list[dict]:
    """Counts of completed applications per value of each measure, grouped `by`: from the
    spreads (kept per city, kind and voltage, and per channel as well), or from the figures
    when the filter names a county (a county's are a small share of the table)."""
    if not filters.county:
        q = _months(filters) & _dimensions(filters)
        spread = KpiSpread
        if filters.channel:
            spread, q = ChannelSpread, q & Q(channel=filters.channel)
        return list(
            spread.objects.filter(q, measure__in=measures)
            .values(*by, "measure", "value")
            .annotate(n=Sum("count"))
        )
    rows: list[dict] = []
    completed = ApplicationFact.objects.filter(
        fact_q(filters), state=State.COMPLETED, days__isnull=False
    )
    for measure in measures:
        for row in completed.values(*by, value=F(measure)).annotate(n=Count("pk")):
            rows.append({**row, "measure": measure})
    return rows


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _yuan(fen_amount: int | Decimal) -> Decimal:
    """Fen (a sum, or a mean that may fall between fen) as exact yuan, to the fen."""
    return (Decimal(fen_amount) / FEN_PER_YUAN).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _cell_figures(sums: dict[str, Any]) -> dict[str, Any]:
    """Figures from the sums over cells (`CELL_SUMS`, named `sum_<measure>`)."""
    s = {name: sums.get(f"sum_{name}") or 0 for name in KpiCell.MEASURES}
    online = sums.get("sum_online") or 0
    return {
        **s,
        "online": online,
        "online_share": _share(online, s["submitted"]),
        "zero_cert_share": _share(s["zero_cert"], s["verified"]),
        "one_cert_share": _share(s["one_cert"], s["verified"]),
        "zero_or_one": s["zero_cert"] + s["one_cert"],
        "within_limit_share": _share(s["within_limit"], s["completed"]),
        "cost_yuan": _yuan(s["cost_fen"]),
        "cost_yuan_mean": _yuan(Decimal(s["cost_fen"]) / s["completed"])
        if s["completed"]
        else None,
        "paid_online_yuan": _yuan(sums.get("sum_paid_online") or 0),
        "satisfaction": round(s["rating"] / s["rated"], 2) if s["rated"] else None,
        "procedures_mean": round(s["procedures"] / s["completed"], 1) if s["completed"] else None,
    }


CELL_SUMS = {
    **{f"sum_{name}": Sum(name) for name in KpiCell.MEASURES},
    "sum_online": Sum("submitted", filter=Q(channel__in=ONLINE_CHANNELS)),
    "sum_paid_online": Sum("cost_fen", filter=Q(channel__in=ONLINE_CHANNELS)),
}


def _gov_calls(filters: Filters) -> dict[str, Any]:
    rows = (
        CallCell.objects.filter(_months(filters) & _dimensions(filters, kinds=False))
        .values("service")
        .annotate(n=Sum("calls"), failed=Sum("failures"), latency=Sum("latency_ms"))
    )
    labels = dict(SERVICE_CHOICES)
    services = [
        {
            "service": row["service"],
            "label": str(labels.get(row["service"], row["service"])),
            "calls": row["n"],
            "failures": row["failed"],
            "failure_rate": _share(row["failed"], row["n"]),
            "latency_ms_mean": round(row["latency"] / row["n"]) if row["n"] else None,
        }
        for row in sorted(rows, key=lambda r: r["service"])
    ]
    total = sum(s["calls"] for s in services)
    failures = sum(s["failures"] for s in services)
    return {
        "total": total,
        "failures": failures,
        "failure_rate": _share(failures, total),
        "services": services,
    }


def _task_row(row: dict) -> dict:
    return {**row, "share": _share(row["within_limit"], row["decided"])}


def _approvals(filters: Filters, city_names: dict[str, str]) -> dict[str, Any]:
    labels = dict(DepartmentCode.choices)
    if filters.county or filters.kind or filters.voltage or filters.channel:
        source = TaskFact.objects.filter(fact_q(filters))
        sums = {
            "sum_dispatched": Count("pk"),
            "sum_decided": Count("pk", filter=Q(decided=True)),
            "sum_within_limit": Count("pk", filter=Q(within_limit=True)),
        }
    else:
        source = TaskCell.objects.filter(_months(filters) & _dimensions(filters, kinds=False))
        sums = {f"sum_{m}": Sum(m) for m in TaskCell.MEASURES}
    by_pair = source.values("department", "city_code").annotate(**sums).order_by()
    departments: dict[str, dict] = defaultdict(lambda: dict.fromkeys(TaskCell.MEASURES, 0))
    cities: dict[str, dict] = defaultdict(lambda: dict.fromkeys(TaskCell.MEASURES, 0))
    total = dict.fromkeys(TaskCell.MEASURES, 0)
    for row in by_pair:
        for name in TaskCell.MEASURES:
            departments[row["department"]][name] += row[f"sum_{name}"]
            cities[row["city_code"]][name] += row[f"sum_{name}"]
            total[name] += row[f"sum_{name}"]
    return {
        **_task_row(total),
        "departments": [
            _task_row({"department": code, "label": str(labels.get(code, code)), **sums})
            for code, sums in sorted(departments.items())
        ],
        "cities": [
            _task_row({"city": code, "name": city_names.get(code, code), **sums})
            for code, sums in sorted(cities.items())
        ],
    }


def _overdue(filters: Filters) -> dict[str, Any]:
    items = OverdueItem.objects.filter(_period(filters, "opened_at"))
    if filters.city:
        items = items.filter(task__department__city_id=filters.city)
    closed = Q(state=OverdueItem.State.CLOSED)
    to_close = ExpressionWrapper(F("closed_at") - F("opened_at"), output_field=DurationField())
    sums = items.aggregate(
        opened=Count("id"),
        closed=Count("id", filter=closed),
        time_to_close=Avg(to_close, filter=closed),
    )
    duration = sums.pop("time_to_close")
    return {
        **sums,
        "open": sums["opened"] - sums["closed"],
        "hours_to_close_mean": round(duration.total_seconds() / 3600, 1) if duration else None,
    }


# The sums of a cell, over the facts themselves: `counting.contribution` as SQL, for the
# county filter (tests/supervision/test_pages.py checks the two agree over the province).
COMPLETED = Q(state=State.COMPLETED, days__isnull=False)
FACT_SUMS = {
    "sum_submitted": Count("pk"),
    "sum_completed": Count("pk", filter=COMPLETED),
    "sum_rejected": Count("pk", filter=Q(state=State.REJECTED)),
    "sum_withdrawn": Count("pk", filter=Q(state=State.WITHDRAWN)),
    "sum_verified": Count("pk", filter=Q(certificates__isnull=False)),
    "sum_zero_cert": Count("pk", filter=Q(certificates=0)),
    "sum_one_cert": Count("pk", filter=Q(certificates=1)),
    "sum_procedures": Sum("procedures", filter=COMPLETED),
    "sum_days": Sum("days", filter=COMPLETED),
    "sum_workdays": Sum("workdays", filter=COMPLETED),
    "sum_within_limit": Count("pk", filter=COMPLETED & Q(within_limit=True)),
    "sum_cost_fen": Sum("cost_fen", filter=COMPLETED),
    "sum_rated": Count("pk", filter=Q(rating__isnull=False)),
    "sum_rating": Sum("rating"),
    "sum_online": Count("pk", filter=Q(channel__in=ONLINE_CHANNELS)),
    "sum_paid_online": Sum("cost_fen", filter=COMPLETED & Q(channel__in=ONLINE_CHANNELS)),
}


def cell_q(filters: Filters) -> Q:
    q = _months(filters) & _dimensions(filters)
    if filters.channel:
        q &= Q(channel=filters.channel)
    return q


def _cells(filters: Filters) -> tuple[QuerySet, dict]:
    """Where the sums come from: the cells, or a county's facts."""
    if filters.county:
        return ApplicationFact.objects.filter(fact_q(filters)), FACT_SUMS
    return KpiCell.objects.filter(cell_q(filters)), CELL_SUMS


def _by(source: QuerySet, sums: dict, field: str) -> dict[Any, dict]:
    return {row[field]: row for row in source.values(field).annotate(**sums).order_by()}


def city_names() -> dict[str, str]:
    return dict(Division.objects.filter(level=Division.Level.CITY).values_list("code", "name"))


def kpis(filters: Filters) -> dict[str, Any]:
    """Every figure of the dashboard for these filters."""
    names = city_names()
    # One query: sums per month, city and channel; every other breakdown is added up here.
    # The database adds up the rows: four small aggregates over the cells.
    source, sums = _cells(filters)
    totals = _cell_figures(source.aggregate(**sums))
    channel_labels = dict(Channel.choices)
    channels = [
        {
            "channel": channel,
            "label": str(channel_labels.get(channel, channel)),
            "submitted": row["sum_submitted"],
            "share": _share(row["sum_submitted"], totals["submitted"]),
            "online": channel in ONLINE_CHANNELS,
        }
        for channel, row in sorted(_by(source, sums, "channel").items())
    ]
    by_city = _by(source, sums, "city_code")
    by_month = _by(source, sums, "month")
    overall: dict[str, list] = defaultdict(list)
    city_days: dict[tuple, list] = defaultdict(list)
    month_days: dict[date, list] = defaultdict(list)
    # Three small reads of the spreads rather than one large one: the province's distributions,
    # the days per city, kind and voltage, and the days per month.
    for row in _spread(filters, (), (DAYS, WORKDAYS, PROCEDURES)):
        overall[row["measure"]].append((row["value"], row["n"]))
    for row in _spread(filters, ("city_code", "kind", "voltage"), (DAYS,)):
        pair = (row["value"], row["n"])
        city_days[(row["city_code"], row["kind"], row["voltage"])].append(pair)
        city_days[(row["city_code"],)].append(pair)
    for row in _spread(filters, ("month",), (DAYS,)):
        month_days[row["month"]].append((row["value"], row["n"]))

    kinds, voltages = dict(Kind.choices), dict(Voltage.choices)
    cities = []
    for code in sorted(set(by_city) | {k[0] for k in city_days}):
        figures = _cell_figures(by_city.get(code, {}))
        figures["code"], figures["name"] = code, names.get(code, code)
        figures["days"] = distribution(city_days.get((code,), []))
        figures["days_by_kind"] = [
            {
                "kind": kind,
                "kind_label": str(kinds[kind]),
                "voltage": voltage,
                "voltage_label": str(voltages[voltage]),
                "median_days": percentile(city_days[(code, kind, voltage)], 0.5),
                "count": sum(n for _, n in city_days[(code, kind, voltage)]),
            }
            for kind in Kind.values
            for voltage in Voltage.values
            if (code, kind, voltage) in city_days
        ]
        cities.append(figures)
    months = []
    for month in sorted(set(by_month) | set(month_days)):
        figures = _cell_figures(by_month.get(month, {}))
        months.append(
            {
                "month": f"{month:%Y-%m}",
                "submitted": figures["submitted"],
                "online": figures["online"],
                "completed": figures["completed"],
                "within_limit_share": figures["within_limit_share"],
                "median_days": percentile(month_days.get(month, []), 0.5),
            }
        )
    return {
        "filters": filters.as_query(),
        "totals": {**totals, "cities": len([c for c in cities if c["submitted"]])},
        "world_bank": {
            "procedures": distribution(overall[PROCEDURES]),
            "days": distribution(overall[DAYS]),
            "workdays": distribution(overall[WORKDAYS]),
            "cost_yuan_mean": totals["cost_yuan_mean"],
            "cost_yuan_total": totals["cost_yuan"],
        },
        "channels": channels,
        "cities": cities,
        "months": months,
        "gov_calls": _gov_calls(filters),
        "approvals": _approvals(filters, names),
        "overdue": _overdue(filters),
    }


def application_for_supervisor(pk: int) -> Application:
    return Application.objects.select_related("supply_county", "service_hall").get(pk=pk)
