"""The overdue loop: the periodic job marks, tells and lists; supervisors assign, follow up and
close each item with a note."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.services import NotPermitted, WrongState
from approvals.models import ApprovalTask, OverdueItem
from approvals.services import approval_task_decide, approval_tasks_mark_overdue, overdue_item_act
from notifications.models import Notification
from portal.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def overdue(task, days=1):
    ApprovalTask.objects.filter(pk=task.pk).update(
        due_date=timezone.localdate() - timedelta(days=days)
    )


def test_the_job_marks_each_overdue_task_once_and_tells_approvers_and_supervisors(
    task, approver, supervisor
):
    assert approval_tasks_mark_overdue() == 0  # not due yet
    overdue(task)
    assert approval_tasks_mark_overdue() == 1
    assert approval_tasks_mark_overdue() == 0  # once
    task.refresh_from_db()
    assert task.overdue_since == timezone.localdate()
    item = OverdueItem.objects.get(task=task)
    assert item.state == "open"
    for person in (approver, supervisor):
        assert Notification.objects.filter(recipient=person, kind="task_overdue").count() == 1


def test_a_returned_task_is_with_the_applicant_and_never_overdue(task, approver):
    approval_task_decide(task_id=task.pk, actor=approver, decision="return", reason="?")
    overdue(task, days=10)
    assert approval_tasks_mark_overdue() == 0


def test_assign_follow_up_and_close_each_with_a_note(task, approver, supervisor):
    overdue(task)
    approval_tasks_mark_overdue()
    item = OverdueItem.objects.get(task=task)
    overdue_item_act(
        item_id=item.pk, actor=supervisor, action="assign", note="请今日办结", assignee=approver
    )
    assert Notification.objects.filter(recipient=approver, kind="overdue_assigned").exists()
    overdue_item_act(item_id=item.pk, actor=supervisor, action="follow_up", note="已电话督办")
    overdue_item_act(item_id=item.pk, actor=supervisor, action="close", note="已审批，结案")
    item.refresh_from_db()
    assert item.state == "closed" and item.assignee == approver and item.closed_at
    assert [n.kind for n in item.notes.all()] == ["assign", "follow_up", "close"]
    with pytest.raises(WrongState):
        overdue_item_act(item_id=item.pk, actor=supervisor, action="follow_up", note="again")


def test_only_supervisors_act_and_only_on_fitting_assignees(task, approver, supervisor, jinan):
    overdue(task)
    approval_tasks_mark_overdue()
    item = OverdueItem.objects.get(task=task)
    with pytest.raises(NotPermitted):
        overdue_item_act(item_id=item.pk, actor=approver, action="follow_up", note="x")
    housing = make_user("t_housing", Role.APPROVER, department="housing", division=jinan)
    with pytest.raises(NotPermitted):
        overdue_item_act(
            item_id=item.pk, actor=supervisor, action="assign", note="x", assignee=housing
        )


def test_overdue_pages(client, task, approver, supervisor, applicant):
    overdue(task)
    approval_tasks_mark_overdue()
    item = OverdueItem.objects.get(task=task)
    for person in (approver, applicant):
        client.force_login(person)
        assert client.get("/approvals/overdue/").status_code == 403
        assert client.get(f"/approvals/overdue/{item.pk}/").status_code == 403
    client.logout()
    assert client.get("/approvals/overdue/").status_code == 302  # to sign in
    client.force_login(supervisor)
    listing = client.get("/approvals/overdue/").content.decode()
    assert task.application.number in listing
    # A close without a note: the error is beside the note field, the choice kept.
    missing = client.post(f"/approvals/overdue/{item.pk}/", {"action": "close", "note": ""})
    assert missing.status_code == 400 and 'id="id_note-error"' in missing.content.decode()
    no_one = client.post(f"/approvals/overdue/{item.pk}/", {"action": "assign", "note": "x"})
    assert no_one.status_code == 400 and 'id="id_assignee-error"' in no_one.content.decode()
    assigned = client.post(
        f"/approvals/overdue/{item.pk}/",
        {"action": "assign", "note": "请跟进", "assignee": approver.pk},
    )
    assert assigned.status_code == 302
    closed = client.post(f"/approvals/overdue/{item.pk}/", {"action": "close", "note": "办结"})
    assert closed.status_code == 302
    assert task.application.number not in client.get("/approvals/overdue/").content.decode()
    assert task.application.number in client.get("/approvals/overdue/?show=all").content.decode()
    assert client.get("/approvals/overdue/999999/").status_code == 404
