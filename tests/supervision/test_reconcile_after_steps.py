"""The counters agree with a recount after a seeded history and after every step of the
Hypothesis state machine of tests/approvals (random sequences of every step by every role,
refusals, withdrawals, revisions, ratings are taken by the services below the machine)."""

from datetime import date

import pytest
from django.core.management import call_command
from hypothesis import settings
from hypothesis.stateful import invariant, run_state_machine_as_test

from supervision.reconcile import kpis_reconcile
from tests.approvals.conftest import approvers, departments_and_platform, every_role  # noqa: F401
from tests.approvals.test_every_application_ends import MACHINE_SETTINGS, machine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("departments_and_platform")]


def test_reconcile_finds_nothing_after_the_seed_and_after_every_random_step(
    every_role,  # noqa: F811
    approvers,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    call_command("seed_history", count=150, seed=21, until=date(2026, 6, 1), verbosity=0)
    assert kpis_reconcile() == []
    base = machine(every_role, approvers, django_capture_on_commit_callbacks)

    class CountersAgree(base):
        @invariant()
        def the_counters_agree_with_a_recount(self):
            assert kpis_reconcile() == []

    run_state_machine_as_test(CountersAgree, settings=settings(max_examples=15, **MACHINE_SETTINGS))
