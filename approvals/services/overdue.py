"""The overdue loop: pending tasks past their due date are marked once and put on the
supervisors' list; supervisors assign, follow up and close them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from portal.errors import NotPermitted, WrongState
from portal.models import Role, User

from ..models import ApprovalTask, OverdueItem, OverdueNote
from ..permissions import may_follow_up
from .tasks import department_approvers, task_link


def approval_tasks_mark_overdue(*, today=None) -> int:
    """Periodic: every pending task past its due date is marked once, put on the supervisors'
    overdue list, and its approvers and the supervisors are told. A returned task is with the
    applicant and its clock is stopped: never overdue."""
    today = today or timezone.localdate()
    with transaction.atomic():
        tasks = list(
            ApprovalTask.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("department", "application")
            .filter(state=ApprovalTask.State.PENDING, due_date__lt=today, overdue_since=None)
        )
        supervisors = list(
            User.objects.filter(role=Role.SUPERVISOR, is_active=True).values_list("pk", flat=True)
        )
        for task in tasks:
            task.overdue_since = today
            task.save(update_fields=["overdue_since"])
            item, created = OverdueItem.objects.get_or_create(task=task)
            if not created and item.state == OverdueItem.State.CLOSED:
                item.state, item.closed_at, item.opened_at = OverdueItem.State.OPEN, None, today
                item.save(update_fields=["state", "closed_at", "opened_at"])
            params = {
                "number": task.application.number,
                "department": task.department.code,
                "due_date": task.due_date,
            }
            notify(
                recipients=department_approvers(task.department),
                kind="task_overdue",
                params=params,
                link=task_link(task.pk),
            )
            notify(
                recipients=supervisors,
                kind="task_overdue",
                params=params,
                link=reverse("approvals:overdue-item", args=[item.pk]),
            )
    return len(tasks)


def overdue_assignees(item: OverdueItem) -> QuerySet[User]:
    """Everyone `may_follow_up` allows, as a query: supervisors and the department's approvers."""
    supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True)
    return supervisors | department_approvers(item.task.department)


def overdue_item_act(*, item_id: int, actor, action: str, note: str, assignee=None) -> OverdueItem:
    """Supervisors assign, follow up and close overdue items; every step carries a note."""
    if actor.role != Role.SUPERVISOR:
        raise NotPermitted(_("Only a supervisor works the overdue list."))
    with transaction.atomic():
        item = (
            OverdueItem.objects.select_for_update(of=("self",))
            .select_related("task__department")
            .get(pk=item_id)
        )
        if item.state == OverdueItem.State.CLOSED:
            raise WrongState(_("This item is closed."), state=item.state)
        now = timezone.now()
        if action == OverdueNote.Kind.ASSIGN:
            if assignee is None or not may_follow_up(assignee, item):
                raise NotPermitted(
                    _("Assign to a supervisor or an approver of the task's department.")
                )
            item.state, item.assignee = OverdueItem.State.ASSIGNED, assignee
            notify(
                recipients=[assignee],
                kind="overdue_assigned",
                params={"number": item.task.application.number},
                link=reverse("approvals:overdue-item", args=[item.pk]),
            )
        elif action == OverdueNote.Kind.CLOSE:
            item.state, item.closed_at = OverdueItem.State.CLOSED, now
        item.save()
        OverdueNote.objects.create(item=item, kind=action, author=actor, text=note, created_at=now)
        return item
