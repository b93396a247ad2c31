"""The approver's queue and decisions through the API, with the negative cases."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import Department
from portal.models import Division, Role
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("departments_and_platform")]


def decide(client, task, **body):
    return client.post(f"/api/v1/approvals/tasks/{task.pk}/decide/", body, format="json")


def test_the_approver_sees_the_task_and_approves_it(api, approver, applicant, task):
    client = api(approver)
    queue = client.get("/api/v1/approvals/tasks/").json()["results"]
    assert [row["id"] for row in queue] == [task.pk]
    response = decide(client, task, decision="approve", permit_number="建字第370100202600001号")
    assert response.status_code == 200 and response.json()["state"] == "approved"
    detail = api(applicant).get(f"/api/v1/applications/{task.application_id}/").json()
    assert detail["state"] == "construction"
    [row] = detail["approvals"]
    assert row["id"] == task.pk and row["department"] == "planning"
    assert row["state"] == "approved" and row["due_date"] == task.due_date.isoformat()
    assert row["permit_number"] == "建字第370100202600001号" and row["question"] == ""


def test_another_department_or_city_gets_404(api, task, jinan):
    housing = make_user("t_housing", Role.APPROVER, department="housing", division=jinan)
    qingdao = make_user(
        "t_qd", Role.APPROVER, department="planning", division=Division.objects.get(code="370200")
    )
    for user in (housing, qingdao):
        assert api(user).get("/api/v1/approvals/tasks/").json()["results"] == []
        assert decide(api(user), task, decision="approve", permit_number="x").status_code == 404


def test_other_roles_get_403_and_strangers_401(api, applicant, engineer, supervisor, task):
    for user in (applicant, engineer, supervisor):
        assert api(user).get("/api/v1/approvals/tasks/").status_code == 403
        assert decide(api(user), task, decision="approve", permit_number="x").status_code == 403
    assert api().get("/api/v1/approvals/tasks/").status_code == 401


def test_a_decided_task_is_409_and_missing_fields_are_400(api, approver, task):
    client = api(approver)
    assert "permit_number" in decide(client, task, decision="approve").json()
    assert "reason" in decide(client, task, decision="reject").json()
    assert decide(client, task, decision="reject", reason="与控规冲突").status_code == 200
    conflict = decide(client, task, decision="approve", permit_number="x")
    assert conflict.status_code == 409 and conflict.json()["state"] == "rejected"


def test_overdue_first_then_by_due_date_with_flat_query_count(api, approver, task):
    department = Department.objects.get(code="planning", city_id="370100")
    application = task.application
    client = api(approver)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/approvals/tasks/").status_code == 200
        return len(queries)

    one = count()
    today = timezone.localdate()
    # Tasks of 99 more applications, due over the coming days, and one overdue.
    from tests.factories import ApprovalTaskFactory, new_application

    for n in range(99):
        other = new_application(application.applicant)
        ApprovalTaskFactory(
            application=other, department=department, due_date=today + timedelta(days=n % 9 + 1)
        )
    overdue_app = new_application(application.applicant)
    overdue = ApprovalTaskFactory(
        application=overdue_app, department=department, due_date=today - timedelta(days=1)
    )
    assert count() == one
    rows = client.get("/api/v1/approvals/tasks/").json()["results"]
    assert rows[0]["id"] == overdue.pk and rows[0]["overdue"] is True
    dues = [row["due_date"] for row in rows[1:]]
    assert dues == sorted(dues)


def test_operators_see_tasks_and_departments_in_the_admin(client, task):
    operator = make_user("t_op", Role.OPERATOR, is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert client.get("/admin/approvals/approvaltask/").status_code == 200
    page = client.get(f"/admin/approvals/approvaltask/{task.pk}/change/").content.decode()
    assert 'name="state"' not in page
    assert client.get("/admin/approvals/department/").status_code == 200
    assert client.get("/admin/approvals/overdueitem/").status_code == 200
    assert client.get("/admin/approvals/commitmentfiling/").status_code == 200
    assert client.get("/admin/notifications/notification/").status_code == 200
    assert client.get("/admin/notifications/smsmessage/").status_code == 200
