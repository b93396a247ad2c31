"""A synthetic history of the province (`manage.py seed_history`): applications of every kind,
voltage and channel in every city and county, with their timelines, record-check calls,
department tasks, overdue items, refusals, withdrawals and ratings — and the counters, counted
by the same rule as live work (`counting.fact_of`), so `reconcile_kpis` finds nothing to fix.

Deterministic for a seed (and, without a scenario, the month it runs up to). Rows are written
with bulk inserts a batch at a time; a million applications never sit in memory."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from applications import workflows as steps
from applications.models import Application, Channel, Kind, State, TimelineEntry, Voltage
from approvals.models import ApprovalTask, Department, OverdueItem
from govdata.models import GovCall
from govdata.records import all_services
from portal.models import CustomerType, Division, Role, ServiceHall, User
from promises.limits import WholeLimits

from .counting import (
    ONLINE_CHANNELS,
    Tally,
    WorkdayCounter,
    call_fact_of,
    fact_of,
    tally_save,
    task_fact_of,
)
from .models import ApplicationFact, TaskFact

BATCH = 5000
HALL_WINDOWS = 165
SEED_PREFIX = "HS"
SEED_USERS = 500

# The reform's headline figures (2025, the whole province), reproduced exactly by
# `--scenario reform` at scale 1 and in proportion (rounded) at a smaller scale.
REFORM_YEAR = 2025
REFORM = {
    "applications": 500_000,
    "online": 449_700,
    "gov_calls": 179_500,
    "zero_or_one_certificate": 7_800,
    "paid_online_fen": 8_244_000_000,  # 82.44 million yuan
}
SCENARIOS = ("reform",)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
ONLINE_WEIGHTS = {Channel.WEB: 30, Channel.WSGW: 35, Channel.ISHANDONG: 20, Channel.WECHAT: 15}
IN_PROGRESS = (State.ACCEPTED, State.SURVEY_SCHEDULED, State.CONSTRUCTION, State.CONTRACT_PENDING)
GOV_OUTCOMES = (("answered", 970), ("timeout", 15), ("error", 10), ("unreachable", 5))


@dataclass(slots=True)
class Plan:
    """What one synthetic application will be."""

    county: str
    kind: str
    voltage: str
    channel: str
    state: str
    submitted: datetime
    certificates: int
    completed: datetime | None = None
    fee_fen: int = 0
    rating: int | None = None
    gov_calls: int = 0
    within_limit_tasks: bool = True
    customer_type: str = CustomerType.RESIDENTIAL
    tasks: list[str] = field(default_factory=list)


@dataclass
class Province:
    counties: list[str]
    halls: dict[str, list[int]]  # city code -> hall ids
    departments: dict[tuple[str, str], int]  # (city code, department code) -> id
    applicants: list[int]
    services: list[str]


def _choice(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _month_starts(first: date, months: int) -> list[date]:
    out, day = [], first
    for _ in range(months):
        out.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


class Planner:
    """Draws plans: the shapes of realistic applications, from one random generator."""

    def __init__(self, rng: random.Random, province: Province, workdays: WorkdayCounter):
        self.rng, self.province, self.workdays = rng, province, workdays
        self.zone = timezone.get_current_timezone()

    def at(self, day: date) -> datetime:
        minutes = self.rng.randrange(8 * 60, 18 * 60)
        return datetime.combine(day, time(minutes // 60, minutes % 60), self.zone)

    def plan(self, month: date, channel: str | None = None, certificates: int | None = None):
        rng = self.rng
        kind = _choice(
            rng, {Kind.NEW_CONNECTION: 70, Kind.CAPACITY_INCREASE: 20, Kind.TRANSFER: 10}
        )
        voltage = Voltage.HIGH if rng.random() < 0.1 else Voltage.LOW
        if channel is None:
            channel = Channel.COUNTER if rng.random() < 0.15 else _choice(rng, ONLINE_WEIGHTS)
        if certificates is None:
            certificates = _choice(rng, {0: 70, 1: 20, 2: 8, 3: 2})
        day = month + timedelta(days=rng.randrange(28))
        plan = Plan(
            county=rng.choice(self.province.counties),
            kind=kind,
            voltage=voltage,
            channel=channel,
            state=_choice(
                rng, {State.COMPLETED: 85, State.REJECTED: 3, State.WITHDRAWN: 2, "open": 10}
            ),
            submitted=self.at(day),
            certificates=certificates,
            customer_type=(
                CustomerType.ENTERPRISE
                if voltage == Voltage.HIGH or rng.random() < 0.2
                else CustomerType.RESIDENTIAL
            ),
        )
        if plan.state == "open":
            plan.state = State.ACCEPTED if kind == Kind.TRANSFER else rng.choice(IN_PROGRESS)
        if kind != Kind.TRANSFER and (voltage == Voltage.HIGH or rng.random() < 0.08):
            plan.tasks = ["planning", "housing"] + (["transport"] if rng.random() < 0.3 else [])
        if plan.state == State.COMPLETED:
            if kind == Kind.TRANSFER:
                days = rng.randint(1, 4)
            elif voltage == Voltage.HIGH:
                days = rng.randint(10, 30)
            else:
                days = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7))
            if plan.tasks:
                days = max(days, 12)
            plan.completed = self.at(self.workdays.add(day, days))
            if voltage == Voltage.HIGH:
                plan.fee_fen = rng.randrange(50_000, 600_000) * 100
            if rng.random() < 0.7:
                plan.rating = _choice(rng, {5: 70, 4: 20, 3: 6, 2: 2, 1: 2})
        return plan


def _province(reference: Callable[[], None]) -> Province:
    reference()
    cities = list(Division.objects.filter(level=Division.Level.CITY).values_list("code", flat=True))
    counties = list(
        Division.objects.filter(level=Division.Level.COUNTY).values_list("code", flat=True)
    )
    existing = ServiceHall.objects.count()
    if existing < HALL_WINDOWS:
        ServiceHall.objects.bulk_create(
            ServiceHall(
                code=f"SEED-W{n:03d}",
                name=f"{counties[n % len(counties)]} 供电营业窗口 {n}",
                name_en=f"Utility window {n}",
                division_id=counties[n % len(counties)],
                address="政务服务中心",
            )
            for n in range(existing, HALL_WINDOWS)
        )
    halls: dict[str, list[int]] = {code: [] for code in cities}
    for pk, division in ServiceHall.objects.values_list("pk", "division_id"):
        halls.setdefault(division[:4] + "00", []).append(pk)
    departments = {
        (city, code): pk for pk, city, code in Department.objects.values_list("pk", "city", "code")
    }
    applicants = list(
        User.objects.filter(username__startswith="seed-applicant-").values_list("pk", flat=True)
    )
    if not applicants:
        User.objects.bulk_create(
            User(
                username=f"seed-applicant-{n:04d}",
                role=Role.APPLICANT,
                customer_type=CustomerType.RESIDENTIAL,
                password="!",  # no password: these people never sign in  # noqa: S106
            )
            for n in range(SEED_USERS)
        )
        applicants = list(
            User.objects.filter(username__startswith="seed-applicant-").values_list("pk", flat=True)
        )
    return Province(counties, halls, departments, applicants, [s.code for s in all_services()])


def _load_reference() -> None:
    if not Division.objects.exists():
        call_command("loaddata", "divisions", "service_halls", verbosity=0)
    if not Department.objects.exists():
        call_command("loaddata", "departments", verbosity=0)


@contextmanager
def _timeline_dated_as_given() -> Iterator[None]:
    """The timeline's `created_at` is set on insert (auto_now_add); a history needs its own
    dates, so for the seed's bulk inserts the field takes the value given."""
    created = TimelineEntry._meta.get_field("created_at")
    created.auto_now_add = False
    try:
        yield
    finally:
        created.auto_now_add = True


def reform_plans(planner: Planner, scale: float) -> Iterator[Plan]:
    """The reform year: exactly the headline figures (rounded at a scale below 1)."""
    rng = planner.rng
    target = {k: round(v * scale) for k, v in REFORM.items()}
    n = target["applications"]
    months = _month_starts(date(REFORM_YEAR, 1, 1), 12)
    channels = [None] * target["online"] + [Channel.COUNTER] * (n - target["online"])
    rng.shuffle(channels)
    few = set(rng.sample(range(n), target["zero_or_one_certificate"]))
    plans = []
    for i in range(n):
        month = months[i * 12 // n]
        certificates = rng.choice((0, 0, 1)) if i in few else rng.choice((2, 2, 3))
        channel = channels[i] or _choice(rng, ONLINE_WEIGHTS)
        plans.append(planner.plan(month, channel=channel, certificates=certificates))
    # Every city has applications even at a small scale.
    cities = sorted({c[:4] for c in planner.province.counties})
    for i, city in enumerate(cities[: len(plans)]):
        plans[i].county = next(c for c in planner.province.counties if c.startswith(city))
    # Paid online: the completed online applications with a fee share the headline sum.
    paying = [
        p
        for p in plans
        if p.state == State.COMPLETED and p.channel in ONLINE_CHANNELS and p.fee_fen
    ]
    if not paying and target["paid_online_fen"]:
        raise ValueError("the scale is too small for any paid online application")
    weights = [p.fee_fen for p in paying]
    total = sum(weights)
    left = target["paid_online_fen"]
    for p, w in zip(paying, weights, strict=True):
        p.fee_fen = target["paid_online_fen"] * w // total
        left -= p.fee_fen
    if paying:
        paying[-1].fee_fen += left
    # Government-interface calls: spread so that they add up exactly.
    calls = target["gov_calls"]
    for i, p in enumerate(plans):
        p.gov_calls = (i + 1) * calls // n - i * calls // n
    yield from plans


def history_plans(planner: Planner, count: int, until: date) -> Iterator[Plan]:
    """`count` applications over the 24 months up to `until` (not the reform scenario)."""
    months = _month_starts(date(until.year - 2, until.month, 1), 24)
    for i in range(count):
        plan = planner.plan(months[i * 24 // max(count, 1)])
        plan.gov_calls = 1 if planner.rng.random() < 0.36 else 0
        plan.within_limit_tasks = planner.rng.random() < 0.93
        yield plan


class Writer:
    """Writes plans as rows, a batch at a time, counting them as they are written."""

    def __init__(self, rng: random.Random, province: Province, workdays: WorkdayCounter, seed: int):
        self.rng, self.province, self.workdays, self.seed = rng, province, workdays, seed
        self.limits = WholeLimits()
        self.tally = Tally()
        self.written = 0
        self.applicant_role = {Channel.COUNTER: Role.CLERK}

    def application(self, plan: Plan, serial: int) -> Application:
        rng = self.rng
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN))
        city = plan.county[:4] + "00"
        halls = self.province.halls.get(city) or []
        verified = plan.state not in (State.DRAFT, State.VERIFYING)
        documents = ["property_proof", "id_card", "business_license"][: plan.certificates]
        application = Application(
            number=f"{SEED_PREFIX}{self.seed:04d}{serial:09d}",
            check_code=f"{rng.randrange(10**6):06d}",
            kind=plan.kind,
            voltage=plan.voltage,
            customer_type=plan.customer_type,
            applicant_id=rng.choice(self.province.applicants),
            applicant_name=name,
            phone=f"139{rng.randrange(10**8):08d}",
            capacity_kva=None
            if plan.kind == Kind.TRANSFER
            else Decimal(rng.choice((8, 10, 16, 50, 630))),
            supply_county_id=plan.county,
            supply_address=f"{rng.randint(1, 300)}号",
            channel=plan.channel,
            service_hall_id=rng.choice(halls)
            if plan.channel == Channel.COUNTER and halls
            else None,
            consent_version="2026-01",
            consent_at=plan.submitted,
            documents_requested=documents if verified else [],
            verification_outcome=(
                {0: "zero_certificate", 1: "one_certificate"}.get(plan.certificates, "documents")
                if verified
                else ""
            ),
            scheme_fee=Decimal(plan.fee_fen) / 100 if plan.fee_fen else None,
            rating=plan.rating,
            submitted_at=plan.submitted,
            completed_at=plan.completed,
            created_at=plan.submitted - timedelta(minutes=rng.randint(5, 90)),
            state=plan.state,
        )
        return application

    def timeline(self, application: Application, plan: Plan) -> list[TimelineEntry]:
        applicant = self.applicant_role.get(plan.channel, Role.APPLICANT)
        at = plan.submitted
        rows = [(steps.SUBMIT, State.DRAFT, State.VERIFYING, applicant, at)]
        end = plan.completed or at + timedelta(days=3)
        if plan.certificates:
            rows.append(
                (
                    steps.SUPPLY_DOCUMENTS,
                    State.NEEDS_DOCUMENTS,
                    State.PENDING_ACCEPTANCE,
                    Role.APPLICANT,
                    at + timedelta(hours=2),
                )
            )
        if plan.state == State.REJECTED:
            rows.append(
                (steps.REJECT, State.PENDING_ACCEPTANCE, State.REJECTED, Role.ENGINEER, end)
            )
        elif plan.state == State.WITHDRAWN:
            rows.append(
                (steps.WITHDRAW, State.PENDING_ACCEPTANCE, State.WITHDRAWN, Role.APPLICANT, end)
            )
        else:
            rows.append(
                (
                    steps.ACCEPT,
                    State.PENDING_ACCEPTANCE,
                    State.ACCEPTED,
                    Role.ENGINEER,
                    at + timedelta(hours=4),
                )
            )
        if plan.state == State.COMPLETED:
            if plan.kind != Kind.TRANSFER:
                rows.append(
                    (
                        steps.CONFIRM_SCHEME,
                        State.SCHEME_OFFERED,
                        State.CONSTRUCTION,
                        Role.APPLICANT,
                        at + timedelta(days=1),
                    )
                )
            rows.append(
                (
                    steps.SIGN_CONTRACT,
                    State.CONTRACT_PENDING,
                    State.CONNECTING,
                    Role.APPLICANT,
                    end - timedelta(hours=3),
                )
            )
            rows.append((steps.ENERGIZE, State.CONNECTING, State.COMPLETED, Role.ENGINEER, end))
        return [
            TimelineEntry(
                application=application,
                transition=step.name,
                from_state=source,
                to_state=target,
                role=role,
                created_at=when,
            )
            for step, source, target, role, when in rows
        ]

    def tasks(self, application: Application, plan: Plan) -> list[ApprovalTask]:
        if not plan.tasks or plan.state not in (State.COMPLETED, *IN_PROGRESS):
            return []
        dispatched = plan.submitted + timedelta(days=2)
        due = self.workdays.add(timezone.localdate(dispatched), 5)
        rows = []
        for code in plan.tasks:
            department = self.province.departments.get((plan.county[:4] + "00", code))
            if department is None:
                continue
            late = not plan.within_limit_tasks and code == "planning"
            took = self.rng.randint(6, 9) if late else self.rng.randint(1, 5)
            decided_day = self.workdays.add(timezone.localdate(dispatched), took)
            rows.append(
                ApprovalTask(
                    application=application,
                    department_id=department,
                    state=ApprovalTask.State.APPROVED,
                    dispatched_at=dispatched,
                    due_date=due,
                    decided_at=datetime.combine(decided_day, time(10), dispatched.tzinfo),
                    permit_number=f"XK{application.number[-9:]}{code[:2].upper()}",
                    overdue_since=due + timedelta(days=1) if late else None,
                )
            )
        return rows

    def gov_calls(self, application: Application, plan: Plan) -> list[GovCall]:
        return [
            GovCall(
                service=self.rng.choice(self.province.services),
                application_id=application.pk,
                outcome=_choice(self.rng, dict(GOV_OUTCOMES)),
                status_code=200,
                latency_ms=max(20, int(self.rng.gauss(180, 60))),
                created_at=plan.submitted + timedelta(seconds=self.rng.randint(1, 50)),
            )
            for _ in range(plan.gov_calls)
        ]

    def count_tasks_and_calls(self, applications, tasks, calls) -> None:
        """Count the batch's tasks and calls by the live rules (counting.task_fact_of and
        call_fact_of), and write the tasks' facts."""
        dims = {
            a.pk: {
                "supply_county_id": a.supply_county_id,
                "kind": a.kind,
                "voltage": a.voltage,
                "channel": a.channel,
            }
            for a in applications
        }
        code_city = {pk: key for key, pk in self.province.departments.items()}
        facts = []
        for task in tasks:
            city, code = code_city[task.department_id]
            application = dims[task.application_id]
            fact = task_fact_of(
                {
                    "dispatched_at": task.dispatched_at,
                    "due_date": task.due_date,
                    "state": task.state,
                    "decided_at": task.decided_at,
                    "department__code": code,
                    "department__city_id": city,
                    **{f"application__{k}": v for k, v in application.items()},
                }
            )
            self.tally.add_task(fact)
            facts.append(TaskFact(task_id=task.pk, **fact))
        _insert(TaskFact, facts)
        for call in calls:
            fields = {
                "created_at": call.created_at,
                "service": call.service,
                "outcome": call.outcome,
                "latency_ms": call.latency_ms,
            }
            self.tally.add_call(call_fact_of(fields, dims.get(call.application_id)))

    def write(self, plans: list[Plan]) -> None:
        with transaction.atomic(), _timeline_dated_as_given():
            applications = [self.application(p, self.written + i) for i, p in enumerate(plans)]
            Application.objects.bulk_create(applications, batch_size=BATCH)
            timeline, tasks, calls = [], [], []
            for application, plan in zip(applications, plans, strict=True):
                timeline += self.timeline(application, plan)
                tasks += self.tasks(application, plan)
                calls += self.gov_calls(application, plan)
            _insert(TimelineEntry, timeline)
            created = ApprovalTask.objects.bulk_create(tasks, batch_size=BATCH)
            OverdueItem.objects.bulk_create(
                [
                    OverdueItem(
                        task=task,
                        state=OverdueItem.State.CLOSED,
                        opened_at=datetime.combine(
                            task.overdue_since, time(9), task.dispatched_at.tzinfo
                        ),
                        closed_at=task.decided_at,
                    )
                    for task in created
                    if task.overdue_since
                ],
                batch_size=BATCH,
            )
            _insert(GovCall, calls)
            self.count_tasks_and_calls(applications, created, calls)
            procedures: dict[int, int] = {}
            for entry in timeline:
                if entry.role in (Role.APPLICANT, Role.CLERK):
                    procedures[entry.application_id] = procedures.get(entry.application_id, 0) + 1
            facts = []
            for application in applications:
                row = {
                    "pk": application.pk,
                    "submitted_at": application.submitted_at,
                    "completed_at": application.completed_at,
                    "supply_county_id": application.supply_county_id,
                    "kind": application.kind,
                    "voltage": application.voltage,
                    "customer_type": application.customer_type,
                    "channel": application.channel,
                    "state": application.state,
                    "verification_outcome": application.verification_outcome,
                    "documents_requested": application.documents_requested,
                    "scheme_fee": application.scheme_fee,
                    "rating": application.rating,
                }
                fact = fact_of(row, procedures.get(application.pk, 0), self.workdays, self.limits)
                self.tally.add(fact)
                facts.append(ApplicationFact(application_id=application.pk, **fact))
            _insert(ApplicationFact, facts)
        self.written += len(plans)


def _insert(model, objects: list) -> None:
    """Bulk insert rows whose ids nobody needs back: COPY on PostgreSQL (several times faster
    than INSERT for the timeline's millions of rows), bulk_create elsewhere."""
    if connection.vendor != "postgresql" or not objects:
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.remote_field]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


def _batches(plans: Iterator[Plan], size: int) -> Iterator[list[Plan]]:
    batch: list[Plan] = []
    for plan in plans:
        batch.append(plan)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def history_present() -> bool:
    return Application.objects.filter(number__startswith=SEED_PREFIX).exists()


def history_seed(
    *,
    count: int,
    seed: int = 1,
    scenario: str = "",
    scale: float = 1.0,
    until: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Seed the history; returns how many applications were written. With a scenario, the
    reform year holds its headline figures and `count` more applications fall in the two
    years before it."""
    if Application.objects.filter(number__startswith=f"{SEED_PREFIX}{seed:04d}").exists():
        raise ValueError(f"a history with seed {seed} is already there")
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible by design
    province = _province(_load_reference)
    until = date(REFORM_YEAR - 1, 12, 1) if scenario else (until or timezone.localdate())
    first = date(until.year - 2, until.month, 1)
    workdays = WorkdayCounter(
        first - timedelta(days=1), date(max(until.year, REFORM_YEAR) + 1, 6, 30)
    )
    planner = Planner(rng, province, workdays)
    writer = Writer(rng, province, workdays, seed)
    sources = [history_plans(planner, count, until)]
    if scenario == "reform":
        sources.append(reform_plans(planner, scale))
    for plans in sources:
        for batch in _batches(plans, BATCH):
            writer.write(batch)
            if progress:
                progress(writer.written)
    with transaction.atomic():
        tally_save(writer.tally)
    return writer.written
