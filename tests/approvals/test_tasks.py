"""Routing, fan-out to every department at once, decisions and the roll-up."""

import pytest

from applications.models import Application
from applications.services import NotPermitted, WrongState
from approvals.models import ApprovalTask
from approvals.routing import departments_needed
from approvals.services import approval_task_decide
from portal.models import Division, Role
from tests.factories import make_user
from tests.workflow import to_permitting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("departments_and_platform")]


class Route:
    def __init__(self, **facts):
        self.line_length_m = facts.get("line_length_m", 400)
        self.crosses_urban_road = facts.get("road", False)
        self.crosses_highway = facts.get("highway", False)
        self.crosses_green_space = facts.get("green", False)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({}, ["planning"]),
        ({"road": True}, ["housing", "planning", "traffic_police"]),
        ({"highway": True, "green": True}, ["greening", "planning", "transport"]),
        ({"line_length_m": 151}, ["planning"]),
    ],
)
def test_routing(facts, expected):
    assert departments_needed(Route(**facts)) == expected


def test_confirming_a_long_scheme_opens_every_departments_task_at_once(
    applicant, engineer, django_capture_on_commit_callbacks
):
    application = to_permitting(applicant, engineer, django_capture_on_commit_callbacks)
    assert application.state == "works_permitting"
    tasks = ApprovalTask.objects.filter(application=application).select_related("department")
    assert sorted(t.department.code for t in tasks) == ["housing", "planning", "traffic_police"]
    assert {t.department.city_id for t in tasks} == {"370100"}
    assert len({t.dispatched_at for t in tasks}) == 1 and all(t.due_date for t in tasks)


def test_the_last_approval_moves_the_application_to_construction(
    applicant, engineer, approvers, django_capture_on_commit_callbacks
):
    application = to_permitting(applicant, engineer, django_capture_on_commit_callbacks)
    tasks = {
        t.department.code: t
        for t in ApprovalTask.objects.filter(application=application).select_related("department")
    }
    approval_task_decide(
        task_id=tasks["planning"].pk,
        actor=approvers["planning"],
        decision="approve",
        permit_number="GH-1",
    )
    approval_task_decide(
        task_id=tasks["housing"].pk,
        actor=approvers["housing"],
        decision="approve",
        permit_number="JS-1",
    )
    assert Application.objects.get(pk=application.pk).state == "works_permitting"
    approval_task_decide(
        task_id=tasks["traffic_police"].pk,
        actor=approvers["traffic_police"],
        decision="approve",
        permit_number="JJ-1",
    )
    assert Application.objects.get(pk=application.pk).state == "construction"
    with pytest.raises(WrongState):
        approval_task_decide(
            task_id=tasks["planning"].pk, actor=approvers["planning"], decision="reject", reason="x"
        )


def test_one_refusal_sends_the_scheme_back(
    applicant, engineer, approvers, django_capture_on_commit_callbacks
):
    application = to_permitting(
        applicant, engineer, django_capture_on_commit_callbacks, crosses_urban_road=False
    )
    task = ApprovalTask.objects.get(application=application)
    approval_task_decide(
        task_id=task.pk, actor=approvers["planning"], decision="reject", reason="与规划冲突"
    )
    assert Application.objects.get(pk=application.pk).state == "permits_rejected"


def test_another_department_or_city_may_not_decide(
    applicant, engineer, approvers, django_capture_on_commit_callbacks
):
    application = to_permitting(
        applicant, engineer, django_capture_on_commit_callbacks, crosses_urban_road=False
    )
    task = ApprovalTask.objects.get(application=application)
    qingdao = make_user(
        "t_qd_planning",
        Role.APPROVER,
        department="planning",
        division=Division.objects.get(code="370200"),
    )
    for user in (approvers["housing"], qingdao, applicant):
        with pytest.raises(NotPermitted):
            approval_task_decide(task_id=task.pk, actor=user, decision="approve", permit_number="x")
