"""Parallel approvals: open every department's task at once, decide, roll the application up
exactly once under its row lock."""

from __future__ import annotations

import contextlib

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, State
from applications.services import NotPermitted, WrongState, application_transition
from applications.signals import permits_requested
from portal.models import Role

from .calendar import add_working_days
from .models import ApprovalTask, Department
from .routing import departments_needed

DECIDED = {ApprovalTask.State.APPROVED, ApprovalTask.State.REJECTED}


def approval_tasks_open(*, application_id: int) -> list[ApprovalTask]:
    """One task per department needed, all in one transaction; safe to run twice."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("supply_county")
            .get(pk=application_id)
        )
        if application.state != State.WORKS_PERMITTING:
            return []
        city = application.supply_county.city_code
        now = timezone.now()
        tasks = []
        for department in Department.objects.filter(
            city_id=city, code__in=departments_needed(application)
        ):
            due = add_working_days(timezone.localdate(now), department.limit_days)
            task, _ = ApprovalTask.objects.get_or_create(
                application=application,
                department=department,
                defaults={
                    "dispatched_at": now,
                    "due_date": due.date,
                    "due_uncertain": due.uncertain,
                },
            )
            tasks.append(task)
        return tasks


@receiver(permits_requested, dispatch_uid="approvals.open_tasks")
def _open_tasks(sender, application_id: int, **kwargs) -> None:
    approval_tasks_open(application_id=application_id)


def in_jurisdiction(user, city_code: str) -> bool:
    """Departments are per city; an approver of the city, or of one of its counties, acts for it."""
    return user.division is not None and user.division.city_code == city_code


def can_decide(user, task: ApprovalTask) -> bool:
    """An approver of the task's department whose jurisdiction lies in the task's city."""
    return (
        user.role == Role.APPROVER
        and user.department == task.department.code
        and in_jurisdiction(user, task.department.city_id)
    )


def approval_task_decide(
    *,
    task_id: int,
    actor,
    decision: str,
    permit_number: str = "",
    reason: str = "",
    comment: str = "",
) -> ApprovalTask:
    """Approve (permit number), reject (reason) or return (question). The application's row is
    locked first, so of decisions landing at the same moment exactly one sees the set complete
    and moves the application."""
    with transaction.atomic():
        application_id = ApprovalTask.objects.values_list("application_id", flat=True).get(
            pk=task_id
        )
        # Lock the application before the task, the order every decision takes.
        list(
            Application.objects.select_for_update(of=("self",))
            .filter(pk=application_id)
            .values_list("pk")
        )
        task = ApprovalTask.objects.select_related("department").get(pk=task_id)
        if not can_decide(actor, task):
            raise NotPermitted(_("Only an approver of this department and jurisdiction decides."))
        method = {
            "approve": task.approve,
            "reject": task.reject,
            "return": task.return_for_information,
        }[decision]
        if task.state != ApprovalTask.State.PENDING:
            raise WrongState(_("This task is already decided."), state=task.state)
        method(permit_number=permit_number, reason=reason)
        task.comment, task.decided_at, task.decided_by = comment, timezone.now(), actor
        task.save()
        _roll_up(application_id)
        return task


def _roll_up(application_id: int) -> None:
    states = set(
        ApprovalTask.objects.filter(application_id=application_id).values_list("state", flat=True)
    )
    if not states or not states <= DECIDED | {ApprovalTask.State.CANCELLED}:
        return
    name = "permits_refused" if ApprovalTask.State.REJECTED in states else "permits_approved"
    with contextlib.suppress(WrongState):  # already moved on by an earlier roll-up
        application_transition(application_id=application_id, name=name)
