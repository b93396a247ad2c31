"""Parallel approvals: open every department's task at once, decide, roll the application up
exactly once under its row lock; the clock that stops while a question is with the applicant;
the overdue loop; commitment filings for short lines."""

from __future__ import annotations

import contextlib
import hashlib

from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, State
from applications.services import NotPermitted, WrongState, application_transition
from applications.signals import commitment_filed, permits_requested
from notifications.services import notify
from portal.models import Role, User

from .calendar import add_working_days, working_days_left
from .models import ApprovalTask, CommitmentFiling, Department, OverdueItem, OverdueNote
from .routing import departments_needed

DECIDED = {ApprovalTask.State.APPROVED, ApprovalTask.State.REJECTED}
OPEN = [ApprovalTask.State.PENDING, ApprovalTask.State.RETURNED]


def department_approvers(department: Department) -> QuerySet[User]:
    """The approvers who act for a department: its code, in its city or one of its counties
    (the rule `in_jurisdiction` applies to one user)."""
    return User.objects.filter(
        role=Role.APPROVER,
        department=department.code,
        is_active=True,
        division__code__startswith=department.city_id[:4],
    )


def _task_link(task_id: int) -> str:
    return reverse("approvals:task", args=[task_id])


def _application_link(application_id: int) -> str:
    return reverse("application-page", args=[application_id])


def approval_tasks_open(*, application_id: int) -> list[ApprovalTask]:
    """One task per department needed, all in one transaction; safe to run twice. Each new
    task's approvers are told on commit, one message each (in parallel on the workers)."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("supply_county")
            .get(pk=application_id)
        )
        if application.state != State.WORKS_PERMITTING:
            return []
        now = timezone.now()
        tasks = []
        for department in route_departments(application):
            due = add_working_days(timezone.localdate(now), department.limit_days)
            task, created = ApprovalTask.objects.get_or_create(
                application=application,
                department=department,
                defaults={
                    "dispatched_at": now,
                    "due_date": due.date,
                    "due_uncertain": due.uncertain,
                },
            )
            if created:
                notify(
                    recipients=department_approvers(department),
                    kind="task_assigned",
                    params={
                        "number": application.number,
                        "due_date": task.due_date,
                        "department": department.code,
                    },
                    link=_task_link(task.pk),
                )
            tasks.append(task)
        return tasks


@receiver(permits_requested, dispatch_uid="approvals.open_tasks")
def _open_tasks(sender, application_id: int, **kwargs) -> None:
    approval_tasks_open(application_id=application_id)


def route_departments(application: Application) -> QuerySet[Department]:
    """The departments of the supply address's city that the works' route touches."""
    return Department.objects.filter(
        city_id=application.supply_county.city_code, code__in=departments_needed(application)
    )


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


def _lock_for_task(task_id: int) -> ApprovalTask:
    """Lock the task's application, then read the task: the order every change to a task takes,
    so a decision, an answer and a roll-up never interleave."""
    application_id = ApprovalTask.objects.values_list("application_id", flat=True).get(pk=task_id)
    list(
        Application.objects.select_for_update(of=("self",))
        .filter(pk=application_id)
        .values_list("pk")
    )
    return ApprovalTask.objects.select_related("department", "application").get(pk=task_id)


DECISIONS = ("approve", "reject", "return")


def decision_errors(*, decision: str, permit_number: str = "", reason: str = "") -> dict[str, str]:
    """What a decision lacks, by field: an approval needs the permit number; a rejection its
    reason; a return its question. The API and the dashboard form both ask this."""
    if decision not in DECISIONS:
        return {"decision": _("Choose approve, reject or return.")}
    if decision == "approve" and not permit_number.strip():
        return {"permit_number": _("An approval needs the permit number.")}
    if decision != "approve" and not reason.strip():
        return {"reason": _("Give the reason or the question.")}
    return {}


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
    and moves the application. A return stops the task's clock with the working days it had
    left; the applicant is told."""
    with transaction.atomic():
        task = _lock_for_task(task_id)
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
        now = timezone.now()
        task.comment, task.decided_at, task.decided_by = comment, now, actor
        if decision == "return":
            task.returned_at = now
            task.days_left = max(working_days_left(timezone.localdate(now), task.due_date), 0)
        task.save()
        application = task.application
        notify(
            recipients=[application.applicant_id],
            kind={"approve": "task_approved", "reject": "task_rejected"}.get(
                decision, "task_returned"
            ),
            params={
                "number": application.number,
                "department": task.department.code,
                "permit_number": permit_number,
                "reason": reason,
                "question": reason,
            },
            link=_application_link(application.pk),
        )
        _roll_up(application.pk)
        return task


def approval_task_answer(*, task_id: int, actor, answer: str) -> ApprovalTask:
    """The applicant answers a returned task: the clock starts again with the working days it
    had left, counted from today, and the department's approvers are told."""
    with transaction.atomic():
        task = _lock_for_task(task_id)
        if task.application.applicant_id != actor.pk:
            raise NotPermitted(_("Only the applicant answers the department's question."))
        if task.state != ApprovalTask.State.RETURNED:
            raise WrongState(_("This task is not waiting for an answer."), state=task.state)
        task.resume(answer=answer)
        due = add_working_days(timezone.localdate(), task.days_left or 0)
        task.answered_at = timezone.now()
        task.due_date, task.due_uncertain, task.overdue_since = due.date, due.uncertain, None
        task.save()
        notify(
            recipients=department_approvers(task.department),
            kind="task_answered",
            params={"number": task.application.number, "due_date": task.due_date},
            link=_task_link(task.pk),
        )
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


# --- The overdue loop -------------------------------------------------------------------------


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
                link=_task_link(task.pk),
            )
            notify(
                recipients=supervisors,
                kind="task_overdue",
                params=params,
                link=reverse("approvals:overdue-item", args=[item.pk]),
            )
    return len(tasks)


def may_follow_up(user, item: OverdueItem) -> bool:
    """Who may be given an overdue item to chase: a supervisor, or an approver who acts for the
    task's department."""
    if user.role == Role.SUPERVISOR:
        return True
    return can_decide(user, item.task)


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


# --- Commitment filing (lines of 150 m or less) -----------------------------------------------


def commitment_file(*, application_id: int, actor_id: int, text_version: str, text: str) -> None:
    """In the applicant's `file_commitment` transaction: keep what was signed (version and the
    SHA-256 of the exact text) and file it with every department the route touches, for their
    information. No approval task is opened."""
    application = Application.objects.select_related("supply_county").get(pk=application_id)
    filing, created = CommitmentFiling.objects.get_or_create(
        application=application,
        defaults={
            "text_version": text_version,
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "signed_by_id": actor_id,
        },
    )
    if not created:
        return
    departments = list(route_departments(application))
    filing.departments.set(departments)
    for department in departments:
        notify(
            recipients=department_approvers(department),
            kind="commitment_filed",
            params={
                "number": application.number,
                "line_length_m": application.line_length_m,
                "department": department.code,
            },
        )


@receiver(commitment_filed, dispatch_uid="approvals.file_commitment")
def _file_commitment(
    sender, application_id: int, actor_id: int, text_version: str, text: str, **kw
):
    commitment_file(
        application_id=application_id, actor_id=actor_id, text_version=text_version, text=text
    )
