"""On PostgreSQL: every department decides at the same moment; the application moves exactly
once per round and its timeline has one roll-up row."""

from functools import partial

import pytest
from django.core.management import call_command

from applications.models import Application, TimelineEntry
from approvals.models import ApprovalTask
from approvals.services import approval_task_decide
from portal.models import Department as Dept
from portal.models import Role
from tests.factories import make_user, new_application
from tests.workflow import FACE, SLOT, drive, race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres_only")]

FACTS = {
    "line_length_m": 400,
    "crosses_urban_road": True,
    "crosses_highway": True,
    "crosses_green_space": True,
}
STEPS = [
    ("submit", "applicant", FACE),
    ("accept", "engineer", {}),
    ("schedule_survey", "applicant", {"slot": SLOT}),
    ("complete_survey", "engineer", FACTS),
    ("confirm_scheme", "applicant", {}),
]


def test_simultaneous_decisions_advance_the_application_exactly_once(
    applicant, engineer, jinan, gov_platform
):
    call_command("loaddata", "departments", verbosity=0)
    approvers = {
        code: make_user(f"t_ap_{code}", Role.APPROVER, department=code, division=jinan)
        for code in Dept.values
    }
    for round_ in range(50):
        application = new_application(applicant)
        drive(application, STEPS, {"applicant": applicant, "engineer": engineer})
        tasks = list(
            ApprovalTask.objects.filter(application=application).select_related("department")
        )
        assert len(tasks) == 5, round_
        results = race(
            *[
                partial(
                    approval_task_decide,
                    task_id=task.pk,
                    actor=approvers[task.department.code],
                    decision="approve",
                    permit_number=f"P-{round_}-{task.department.code}",
                )
                for task in tasks
            ]
        )
        assert all(kind == "ok" for kind, _ in results), results
        assert Application.objects.get(pk=application.pk).state == "construction"
        rollups = TimelineEntry.objects.filter(
            application=application, transition="permits_approved"
        )
        assert rollups.count() == 1, round_
