"""Every application reaches an end (issue #11): a Hypothesis state machine takes random
sequences of every step by every role through the services — refusals, returns for
information, revisions, re-surveys, failed inspections, withdrawals, declined consent,
arrears, survey bookings moved and cancelled by either side, high-voltage scheme fees paid online
(once, twice, after a withdrawal) — and after every step checks that

- the application has ended, or some role has a step to take, or a system job will act on it;
- its timeline agrees with its state;
- each fee is paid at most once;
- only the current round's tasks are open, and only while the permits are being decided;
- an open survey booking exists exactly while the survey is scheduled, at the time shown;
- nothing raised but the portal's refusals (`portal/errors.py`);
- the supervisors' counters agree with a recount from the source tables (`reconcile_kpis`).

500 examples run under CI (`CI` set), fewer locally. Each example runs in a savepoint rolled
back at its end. The SMS code of the contract is proved by the contract's own tests; here it is
waved through so that the machine can sign."""

import contextlib
import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from applications.models import TERMINAL_STATES, Application, Kind, State, TimelineEntry
from applications.registry import person_steps, step_named
from applications.services import application_transition, available_transitions
from applications.workflows import (
    CANCEL_SURVEY,
    REFUSE_CONSENT,
    REJECT,
    REMOVE_SUPPLY,
    RESCHEDULE_SURVEY,
    SCHEDULE_SURVEY,
    WITHDRAW,
)
from approvals.models import ApprovalTask
from approvals.services import (
    OPEN,
    approval_task_answer,
    approval_task_decide,
    approval_tasks_mark_overdue,
    permit_round,
)
from govdata.mock.registry import DEMO_ENTERPRISE, DEMO_PROJECT
from govdata.models import RecordCheck
from payments.models import PaymentOrder
from payments.services import may_pay, payment_due, payment_record, payment_start
from portal.errors import DomainError
from portal.models import OutboxMessage
from supervision.reconcile import kpis_reconcile
from surveys.models import SurveyBooking
from surveys.services import survey_slots_free
from temporary.services import temporary_supplies_watch
from tests.factories import ElectricityAccountFactory, new_application
from tests.workflow import FACE, HIGH

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("departments_and_platform")]

IN_CI = bool(os.environ.get("CI"))
EXAMPLES = 500 if IN_CI else 40
ROLES = ("applicant", "holder", "engineer", "clerk")
PERSON_STEPS = sorted(step.name for step in person_steps())
ENDINGS = {WITHDRAW.name, REJECT.name, REFUSE_CONSENT.name, REMOVE_SUPPLY.name}
# Taken only now and then by `take_a_step` (like the endings), so that the long paths are walked
# too; `the_survey_is_moved_or_cancelled` drives them on purpose.
DETOURS = {RESCHEDULE_SURVEY.name, CANCEL_SURVEY.name}

SURVEY_STEPS = [SCHEDULE_SURVEY.name, RESCHEDULE_SURVEY.name, CANCEL_SURVEY.name]
TODAY = timezone.localdate()
# A temporary supply (issue #20): the demo enterprise's site, its permit valid to 2028-10-01.
SITE = {
    "customer_type": "enterprise",
    "applicant_name": "济南泉能科技有限公司",
    "id_number": "",
    "credit_code": DEMO_ENTERPRISE,
    "project_code": DEMO_PROJECT,
    "details": {
        "starts_on": TODAY + timedelta(days=3),
        "ends_on": TODAY + timedelta(days=120),
        "contact_name": "王建国",
        "contact_phone": "13905310077",
    },
}

# A value for each declared input, by name; an input nobody listed here is left out (the step
# is then refused with InvalidInput if it needs it, which is a refusal like any other). A survey
# slot is drawn from the times offered to the application now (`slot_values`).
INPUT_VALUES = {
    "reason": st.just("理由"),
    "line_length_m": st.sampled_from([0, 80, 150, 151, 300, 300]),
    "crosses_urban_road": st.booleans(),
    "crosses_highway": st.booleans(),
    "crosses_green_space": st.booleans(),
    "scheme_fee": st.sampled_from([None, Decimal("1200.00")]),
    "face_consent": st.just(FACE["face_consent"]),
    "face_photo": st.just(FACE["face_photo"]),
    "accept_commitment": st.just(True),
    "sms_code": st.just("000000"),
    # Within the permit, beyond it (refused), not later than the end (refused).
    "new_end_date": st.sampled_from(
        [TODAY + timedelta(days=200), TODAY + timedelta(days=2000), TODAY + timedelta(days=1)]
    ),
    "final_reading_kwh": st.just(Decimal("1523.4")),
}


def slot_values(application_id: int):
    """Mostly one of the first free survey slots offered; now and then a time in the past or
    one never offered (refused by the slot field)."""
    county = Application.objects.get(pk=application_id).supply_county
    offered = [slot.start for slot in survey_slots_free(county, days=3)[:6]]
    wrong = [timezone.now() - timedelta(days=1), timezone.now() + timedelta(hours=1)]
    return st.sampled_from(offered * 4 + wrong)


def payload_for(name: str, data, application_id: int) -> dict:
    values = {**INPUT_VALUES, "slot": slot_values(application_id)}
    return {
        spec.name: data.draw(values[spec.name], label=spec.name)
        for spec in step_named(name).inputs
        if spec.name in values
    }


KINDS = [Kind.NEW_CONNECTION, Kind.CAPACITY_INCREASE, Kind.TRANSFER, Kind.TEMPORARY_SUPPLY]


def machine(people: dict, approvers: dict, callbacks, kinds=KINDS, recount=True, payments=False):
    """The state machine class, closed over the test's users and on-commit capture, for
    applications of `kinds`; `recount` checks the supervisors' counters after every step;
    `payments` files high-voltage new connections too, whose scheme fee is paid online through
    the mock payment platform (issue #15)."""
    person_steps_of_kinds = [
        name for name in PERSON_STEPS if set(step_named(name).kinds) & set(kinds)
    ]

    class EveryApplicationEnds(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            self.application_id = None

        def teardown(self):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        def run(self, call) -> None:
            """Run one action as a request would: its on-commit work runs after it; only the
            portal's refusals may come out of it."""
            with callbacks(execute=True), contextlib.suppress(DomainError):
                call()

        @property
        def application(self) -> Application:
            return Application.objects.get(pk=self.application_id)

        def open_tasks(self, *states):
            return list(
                ApprovalTask.objects.filter(
                    application_id=self.application_id, state__in=states or OPEN
                )
                .select_related("department")
                .order_by("id")
            )

        @initialize(
            kind=st.sampled_from(kinds),
            arrears=st.sampled_from([Decimal("0"), Decimal("35.50")]),
            high=st.booleans() if payments else st.just(False),
        )
        def file(self, kind, arrears, high):
            extra = {}
            if kind == Kind.NEW_CONNECTION and high:
                extra = dict(HIGH)
            elif kind == Kind.CAPACITY_INCREASE:
                extra["account"] = ElectricityAccountFactory(holder=people["applicant"])
            elif kind == Kind.TRANSFER:
                extra["account"] = ElectricityAccountFactory(
                    holder=people["holder"], arrears=arrears
                )
            elif kind == Kind.TEMPORARY_SUPPLY:
                extra = dict(SITE)
            application = new_application(people["applicant"], kind=kind, **extra)
            self.application_id = application.pk

        def take(self, who: str, name: str, data) -> None:
            payload = payload_for(name, data, self.application_id)
            self.run(
                lambda: application_transition(
                    application_id=self.application_id,
                    name=name,
                    actor=people[who],
                    payload=payload,
                )
            )

        def going(self) -> bool:
            return not Application.objects.filter(
                pk=self.application_id, state__in=TERMINAL_STATES
            ).exists()

        @precondition(lambda self: self.going())
        @rule(data=st.data())
        def take_a_step(self, data):
            """Mostly a step some role has now (the steps that end an application only now and
            then, so that the long paths are walked too); sometimes any step by anyone, which is
            refused or taken."""
            if data.draw(st.integers(0, 7), label="any") == 0:
                who = data.draw(st.sampled_from(ROLES), label="who")
                name = data.draw(st.sampled_from(person_steps_of_kinds), label="name")
            else:
                options = [
                    (who, name)
                    for who in ROLES
                    for name in available_transitions(
                        application=self.application, user=people[who]
                    )
                    if name not in ENDINGS | DETOURS
                    or data.draw(st.integers(0, 7), label="end") == 0
                ]
                if not options:
                    return
                who, name = data.draw(st.sampled_from(options), label="step")
            self.take(who, name, data)

        def survey_booked(self) -> bool:
            return (
                self.application_id is not None and self.application.state == State.SURVEY_SCHEDULED
            )

        @precondition(lambda self: self.survey_booked())
        @rule(data=st.data())
        def the_survey_is_moved_or_cancelled(self, data):
            """Once booked (`take_a_step` books), the applicant or the engineer moves or cancels
            the survey, or tries to book again; with a free time, a past one or one never
            offered."""
            who = data.draw(st.sampled_from(["applicant", "engineer"]), label="who")
            name = data.draw(st.sampled_from(SURVEY_STEPS), label="survey step")
            self.take(who, name, data)

        def has_tasks(self, *states) -> bool:
            return self.application_id is not None and bool(self.open_tasks(*states))

        @precondition(lambda self: self.has_tasks(ApprovalTask.State.PENDING))
        @rule(data=st.data())
        def a_department_decides(self, data):
            tasks = self.open_tasks(ApprovalTask.State.PENDING)
            task = data.draw(st.sampled_from(tasks), label="task")
            decision = data.draw(st.sampled_from(["approve", "reject", "return"]), label="how")
            self.run(
                lambda: approval_task_decide(
                    task_id=task.pk,
                    actor=approvers[task.department.code],
                    decision=decision,
                    permit_number="P-1",
                    reason="请补充路由说明",
                )
            )

        @precondition(lambda self: self.has_tasks(ApprovalTask.State.RETURNED))
        @rule(data=st.data())
        def the_applicant_answers(self, data):
            tasks = self.open_tasks(ApprovalTask.State.RETURNED)
            task = data.draw(st.sampled_from(tasks), label="task")
            self.run(
                lambda: approval_task_answer(
                    task_id=task.pk, actor=people["applicant"], answer="路由已补充"
                )
            )

        if payments:

            def paying(self) -> bool:
                return (
                    self.application_id is not None
                    and self.application.state == State.PAYMENT_PENDING
                )

            @precondition(paying)
            @rule(data=st.data())
            def the_fee_is_paid_online(self, data):
                """The applicant pays on the platform's page; its signed word that the order was
                paid arrives once or twice (now and then after a withdrawal: refunded). Every
                choice is drawn first: what the platform answers must not shape the draws."""
                withdraw_first = data.draw(st.integers(0, 5), label="withdraw first") == 0
                times = data.draw(st.sampled_from([1, 1, 2]), label="notifications")
                withdrawal = payload_for(WITHDRAW.name, data, self.application_id)
                try:
                    order = payment_start(
                        application_id=self.application_id, actor=people["applicant"]
                    )
                except DomainError:  # the platform away: the applicant tries again later
                    return
                if withdraw_first:
                    self.run(
                        lambda: application_transition(
                            application_id=self.application_id,
                            name=WITHDRAW.name,
                            actor=people["applicant"],
                            payload=withdrawal,
                        )
                    )
                for _ in range(times):
                    self.run(
                        lambda: payment_record(
                            order_id=order.pk,
                            paid_fen=order.amount_fen,
                            currency=order.currency,
                            trade_no=order.trade_no,
                            paid_at=timezone.now().isoformat(),
                            via="notification",
                        )
                    )

            @invariant()
            def each_fee_is_paid_at_most_once(self):
                if self.application_id is None:
                    return
                paid = list(
                    PaymentOrder.objects.filter(
                        application_id=self.application_id, status=PaymentOrder.Status.PAID
                    ).values_list("purpose", flat=True)
                )
                assert len(paid) == len(set(paid)), paid
                moved = TimelineEntry.objects.filter(
                    application_id=self.application_id, from_state=State.PAYMENT_PENDING
                ).count()
                assert moved <= 1 + len(paid), "moved on without a payment"

        @rule()
        def the_overdue_job_runs(self):
            """Always possible (also once the application has ended): time passes."""
            self.run(
                lambda: approval_tasks_mark_overdue(today=timezone.localdate() + timedelta(30))
            )

        if Kind.TEMPORARY_SUPPLY in kinds:

            @rule(days=st.sampled_from([110, 121, 400]))
            def the_end_date_watch_runs(self, days):
                """Always possible: a temporary supply's end date comes near, or passes."""
                self.run(lambda: temporary_supplies_watch(today=TODAY + timedelta(days)))

        @invariant()
        def it_ends_or_someone_can_act(self):
            if self.application_id is None:
                return
            application = self.application
            if application.state in TERMINAL_STATES:
                return
            # The cheap questions first: an open task, then work queued for the system.
            deciding = bool(self.open_tasks())
            system_job = deciding or (
                OutboxMessage.objects.filter(
                    state=OutboxMessage.State.PENDING, payload__application_id=application.pk
                ).exists()
                or RecordCheck.objects.filter(
                    application_id=application.pk, state=RecordCheck.State.PENDING
                ).exists()
            )
            # Paying is not a step of the application but the payment app's: a fee due is the
            # applicant's to pay.
            paying = payment_due(application) is not None and may_pay(
                people["applicant"], application
            )
            someone = (
                system_job
                or paying
                or any(
                    name != WITHDRAW.name
                    for who in ROLES
                    for name in available_transitions(application=application, user=people[who])
                )
            )
            assert someone, f"stranded in {application.state}"

        @invariant()
        def the_timeline_agrees_with_the_state(self):
            if self.application_id is None:
                return
            rows = list(
                TimelineEntry.objects.filter(application_id=self.application_id)
                .order_by("created_at", "id")
                .values_list("from_state", "to_state")
            )
            state = State.DRAFT
            for from_state, to_state in rows:
                assert from_state == state, rows
                state = to_state
            assert self.application.state == state, rows

        @invariant()
        def a_survey_is_booked_exactly_while_scheduled(self):
            if self.application_id is None:
                return
            application = self.application
            open_bookings = list(
                SurveyBooking.objects.filter(
                    application_id=self.application_id, state=SurveyBooking.State.BOOKED
                ).values_list("start", flat=True)
            )
            if application.state == State.SURVEY_SCHEDULED:
                assert open_bookings == [application.survey_slot]
            else:
                assert open_bookings == [], application.state

        @invariant()
        def only_the_current_round_is_open_and_only_while_permitting(self):
            if self.application_id is None:
                return
            tasks = self.open_tasks()
            if tasks:
                assert self.application.state == State.WORKS_PERMITTING
                rounds = {t.round for t in tasks}
                assert rounds == {permit_round(self.application_id)}, (
                    f"open tasks of another round: {rounds}"
                )

        @invariant()
        def the_supervisors_counters_agree_with_a_recount(self):
            # Counted in each step's transaction (issue #13); the recount reads the sources.
            if recount:
                assert kpis_reconcile() == []

    return EveryApplicationEnds


MACHINE_SETTINGS = {
    "deadline": None,
    "stateful_step_count": 25,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


# 500 examples on PostgreSQL take four to five minutes on two cores: above the suite's default.
@pytest.mark.timeout(900)
def test_every_application_reaches_an_end(
    every_role, approvers, django_capture_on_commit_callbacks, payment_platform
):
    run_state_machine_as_test(
        machine(every_role, approvers, django_capture_on_commit_callbacks, payments=True),
        settings=settings(max_examples=EXAMPLES, **MACHINE_SETTINGS),
    )


@pytest.mark.timeout(900)
def test_the_machine_finds_the_stranded_case_without_rounds(
    every_role, approvers, django_capture_on_commit_callbacks, monkeypatch
):
    """With the round logic removed (every confirmation reuses the first round's tasks, as
    `get_or_create` did), the machine finds an application nobody can move."""
    monkeypatch.setattr("approvals.services.tasks.permit_round", lambda application_id: 1)
    # Either face of the missing rounds: an application nobody can move, or a confirmation that
    # reopened the first round's decided tasks (which came first depends on the draws).
    stranded = "stranded in works_permitting|open tasks of another round"
    with pytest.raises(AssertionError, match=stranded):
        run_state_machine_as_test(
            # The kinds of the search this test was tuned on (derandomized, so the same runs).
            # The counters' recount is left to the other test: this search is long enough.
            machine(
                every_role, approvers, django_capture_on_commit_callbacks, KINDS[:3], recount=False
            ),
            # Longer runs, and the same ones every time: the search must not be luck.
            settings=settings(
                **{**MACHINE_SETTINGS, "stateful_step_count": 100},
                max_examples=300,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
            ),
        )
