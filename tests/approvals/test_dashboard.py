"""The approver's dashboard pages: queue, task page with its decision form, history."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from approvals.models import ApprovalTask, Department
from portal.models import Division, Role
from tests.factories import ApprovalTaskFactory, make_user, new_application

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("road_crossing_route")]


def test_queue_task_page_decide_and_history(client, task, approver, applicant):
    client.force_login(approver)
    queue = client.get("/approvals/").content.decode()
    assert task.application.number in queue and f"/approvals/tasks/{task.pk}/" in queue
    page = client.get(f"/approvals/tasks/{task.pk}/").content.decode()
    # Masked: the name's first character and the phone's ends only; the route facts in full.
    assert "张*" in page and "张伟" not in page and "139****0001" in page
    assert "400 m" in page
    # The other departments' progress (road → housing, traffic police).
    assert page.count('class="tag pending') >= 3
    response = client.post(
        f"/approvals/tasks/{task.pk}/",
        {"decision": "approve", "permit_number": "建字第370100202600002号", "comment": "同意"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "approved" and task.decided_by == approver
    assert task.application.number not in client.get("/approvals/").content.decode()
    history = client.get("/approvals/history/").content.decode()
    assert "建字第370100202600002号" in history
    # Decided: the form is gone, a repeated post is refused, nothing changes.
    again = client.post(
        f"/approvals/tasks/{task.pk}/", {"decision": "reject", "reason": "x"}, follow=True
    )
    assert 'class="message error"' in again.content.decode()
    task.refresh_from_db()
    assert task.state == "approved"


def test_bad_input_shows_the_error_beside_the_field_and_keeps_what_was_typed(
    client, task, approver
):
    client.force_login(approver)
    response = client.post(
        f"/approvals/tasks/{task.pk}/", {"decision": "approve", "comment": "待补号"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and 'id="id_permit_number-error"' in body
    assert "待补号" in body  # kept
    with translation.override("en"):
        response = client.post(
            f"/approvals/tasks/{task.pk}/",
            {"decision": "reject"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "Give the reason or the question." in response.content.decode()
    task.refresh_from_db()
    assert task.state == "pending"


def test_another_department_or_city_gets_404_and_other_roles_403(
    client, task, jinan, applicant, engineer, supervisor
):
    housing_other = make_user("t_greening", Role.APPROVER, department="greening", division=jinan)
    qingdao = make_user(
        "t_qd", Role.APPROVER, department="planning", division=Division.objects.get(code="370200")
    )
    for user in (housing_other, qingdao):
        client.force_login(user)
        assert client.get(f"/approvals/tasks/{task.pk}/").status_code == 404
        assert (
            client.post(
                f"/approvals/tasks/{task.pk}/", {"decision": "approve", "permit_number": "x"}
            ).status_code
            == 404
        )
        assert task.application.number not in client.get("/approvals/").content.decode()
    for user in (applicant, engineer, supervisor):
        client.force_login(user)
        assert client.get("/approvals/").status_code == 403
        assert client.get(f"/approvals/tasks/{task.pk}/").status_code == 403
    client.logout()
    assert client.get("/approvals/").status_code == 302
    task.refresh_from_db()
    assert task.state == "pending"


def test_queue_page_same_queries_for_1_and_100_tasks_overdue_first_with_days_left(
    client, task, approver
):
    department = Department.objects.get(code="planning", city_id="370100")
    client.force_login(approver)

    def render() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/approvals/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    one, _ = render()
    today = timezone.localdate()
    for n in range(98):
        other = new_application(task.application.applicant)
        ApprovalTaskFactory(
            application=other, department=department, due_date=today + timedelta(days=n % 9 + 1)
        )
    late = ApprovalTaskFactory(
        application=new_application(task.application.applicant),
        department=department,
        due_date=today - timedelta(days=7),
    )
    assert ApprovalTask.objects.filter(department=department).count() == 100
    hundred, body = render()
    assert hundred == one
    rows = re.findall(r'data-task="(\d+)"', body)
    assert len(rows) == 50 and rows[0] == str(late.pk)  # one page of 50, the overdue one first
    assert "error" in body.split(f'data-task="{late.pk}"')[1].split("</tr>")[0]
