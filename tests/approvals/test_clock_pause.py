"""A task returned with a question stops its clock; the applicant's answer starts it again."""

from datetime import date

import pytest
from django.utils import timezone

from applications.services import NotPermitted, WrongState
from approvals.models import ApprovalTask
from approvals.services import approval_task_answer, approval_task_decide
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_returned_task_keeps_its_days_and_the_answer_restarts_the_clock(
    task, approver, applicant, time_machine
):
    # Dispatched Monday 2 November 2026: due Monday 9 November (five working days).
    ApprovalTask.objects.filter(pk=task.pk).update(due_date=date(2026, 11, 9))
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 11, 4, 10)), tick=False)
    approval_task_decide(task_id=task.pk, actor=approver, decision="return", reason="请补充路径图")
    task.refresh_from_db()
    # Wednesday 4th: Thu 5, Fri 6, Mon 9 are left.
    assert task.state == "returned" and task.days_left == 3
    assert Notification.objects.filter(recipient=applicant, kind="task_returned").exists()

    # The applicant answers a week later, on Wednesday 11th: three working days from then.
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 11, 11, 9)), tick=False)
    approval_task_answer(task_id=task.pk, actor=applicant, answer="路径图已上传，沿人行道敷设")
    task.refresh_from_db()
    assert task.state == "pending" and task.due_date == date(2026, 11, 16)
    assert task.answer == "路径图已上传，沿人行道敷设" and task.answered_at is not None
    assert Notification.objects.filter(recipient=approver, kind="task_answered").exists()


def test_only_the_applicant_answers_and_only_a_returned_task(task, approver, applicant, outsider):
    with pytest.raises(WrongState):
        approval_task_answer(task_id=task.pk, actor=applicant, answer="x")
    approval_task_decide(task_id=task.pk, actor=approver, decision="return", reason="?")
    with pytest.raises(NotPermitted):
        approval_task_answer(task_id=task.pk, actor=outsider, answer="x")


def test_answer_api_negative_cases(api, task, approver, applicant, outsider, enterprise_applicant):
    url = f"/api/v1/approvals/tasks/{task.pk}/answer/"
    assert api(applicant).post(url, {"answer": "x"}, format="json").status_code == 409
    approval_task_decide(task_id=task.pk, actor=approver, decision="return", reason="?")
    assert api().post(url, {"answer": "x"}, format="json").status_code == 401
    assert api(approver).post(url, {"answer": "x"}, format="json").status_code == 403
    assert api(outsider).post(url, {"answer": "x"}, format="json").status_code == 403
    # Another applicant: the task does not exist for them.
    assert api(enterprise_applicant).post(url, {"answer": "x"}, format="json").status_code == 404
    empty = api(applicant).post(url, {"answer": ""}, format="json")
    assert empty.status_code == 400 and "answer" in empty.json()
    ok = api(applicant).post(url, {"answer": "见附件"}, format="json")
    assert ok.status_code == 200 and ok.json()["state"] == "pending"


def test_applicant_answers_on_the_application_page(client, task, approver, applicant):
    approval_task_decide(task_id=task.pk, actor=approver, decision="return", reason="电缆走向？")
    client.force_login(applicant)
    page = client.get(f"/applications/{task.application_id}/")
    assert "电缆走向？" in page.content.decode()
    missing = client.post(f"/approvals/tasks/{task.pk}/answer/", {"task": task.pk, "answer": ""})
    assert missing.status_code == 400
    done = client.post(
        f"/approvals/tasks/{task.pk}/answer/", {"task": task.pk, "answer": "沿北侧人行道"}
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.state == "pending" and task.answer == "沿北侧人行道"
