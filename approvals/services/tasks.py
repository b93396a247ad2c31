"""Parallel approvals: open every department's task at once, decide, answer a returned task,
and roll the application up exactly once under its row lock. The clock stops while a question
is with the applicant."""

from __future__ import annotations

import contextlib

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, State
from applications.services import application_transition
from applications.workflows import PERMITS_APPROVED, PERMITS_REFUSED
from notifications.services import notify
from portal.calendar import add_working_days, working_days_left
from portal.errors import InvalidInput, NotPermitted, WrongState
from portal.jurisdiction import city_code, same_city_q
from portal.models import Role, User

from ..models import ApprovalTask, Decision, Department
from ..permissions import can_decide
from ..routing import departments_needed
from .rounds import permit_round, round_tasks

DECIDED = {ApprovalTask.State.APPROVED, ApprovalTask.State.REJECTED}


def department_approvers(department: Department) -> QuerySet[User]:
    """The approvers who act for a department: its code, in its city or one of its counties
    (what `permissions.in_jurisdiction` says of one user)."""
    return User.objects.filter(
        same_city_q(department.city_id, "division__code"),
        role=Role.APPROVER,
        department=department.code,
        is_active=True,
    )


def task_link(task_id: int) -> str:
    """The approver's page of a task, for notifications."""
    return reverse("approvals:task", args=[task_id])


def _application_link(application_id: int) -> str:
    return reverse("applications:page", args=[application_id])


def approval_tasks_open(*, application_id: int) -> list[ApprovalTask]:
    """One task per department needed in the current round, all in one transaction; safe to
    run twice. Each new task's approvers are told on commit, one message each (in parallel on
    the workers)."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("supply_county")
            .get(pk=application_id)
        )
        if application.state != State.WORKS_PERMITTING:
            return []
        now = timezone.now()
        current = permit_round(application.pk)
        tasks = []
        for department in route_departments(application):
            due = add_working_days(timezone.localdate(now), department.limit_days)
            task, created = ApprovalTask.objects.get_or_create(
                application=application,
                department=department,
                round=current,
                defaults={
                    "dispatched_at": now,
                    "due_date": due.date,
                    "due_uncertain": due.uncertain,
                },
            )
            if created:
                notify_department(
                    department,
                    "task_assigned",
                    application,
                    link=task_link(task.pk),
                    due_date=task.due_date,
                )
            tasks.append(task)
        return tasks


def notify_department(department: Department, kind: str, application, link: str = "", **params):
    """Tell every approver of a department about one application (number and department are
    always part of the message)."""
    notify(
        recipients=department_approvers(department),
        kind=kind,
        params={"number": application.number, "department": department.code, **params},
        link=link,
    )


def route_departments(application: Application) -> QuerySet[Department]:
    """The departments of the supply address's city that the works' route touches."""
    return Department.objects.filter(
        city_id=city_code(application.supply_county), code__in=departments_needed(application)
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


DECISIONS = tuple(Decision.values)


def decision_errors(*, decision: str, permit_number: str = "", reason: str = "") -> dict[str, str]:
    """What a decision lacks, by field: an approval needs the permit number; a rejection its
    reason; a return its question. The API and the dashboard form both ask this."""
    if decision not in DECISIONS:
        return {"decision": _("Choose approve, reject or return.")}
    if decision == Decision.APPROVE and not permit_number.strip():
        return {"permit_number": _("An approval needs the permit number.")}
    if decision != Decision.APPROVE and not reason.strip():
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
    errors = decision_errors(decision=decision, permit_number=permit_number, reason=reason)
    with transaction.atomic():
        task = _lock_for_task(task_id)
        if not can_decide(actor, task):
            raise NotPermitted(_("Only an approver of this department and jurisdiction decides."))
        method = {
            Decision.APPROVE: task.approve,
            Decision.REJECT: task.reject,
            Decision.RETURN: task.return_for_information,
        }.get(decision)
        if task.state != ApprovalTask.State.PENDING:
            raise WrongState(_("This task is already decided."), state=task.state)
        if errors:
            raise InvalidInput(errors)
        method(permit_number=permit_number, reason=reason)
        now = timezone.now()
        task.comment, task.decided_at, task.decided_by = comment, now, actor
        if decision == Decision.RETURN:
            task.returned_at = now
            task.days_left = max(working_days_left(timezone.localdate(now), task.due_date), 0)
        task.save()
        application = task.application
        notify(
            recipients=[application.applicant_id],
            kind={Decision.APPROVE: "task_approved", Decision.REJECT: "task_rejected"}.get(
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
        if not (answer or "").strip():
            raise InvalidInput({"answer": [_("Write your answer to the department.")]})
        task.resume(answer=answer)
        due = add_working_days(timezone.localdate(), task.days_left or 0)
        task.answered_at = timezone.now()
        task.due_date, task.due_uncertain, task.overdue_since = due.date, due.uncertain, None
        task.save()
        notify(
            recipients=department_approvers(task.department),
            kind="task_answered",
            params={"number": task.application.number, "due_date": task.due_date},
            link=task_link(task.pk),
        )
        return task


def _roll_up(application_id: int) -> None:
    """Only the current round counts: an earlier round's refusal is history."""
    states = set(
        round_tasks(application_id, permit_round(application_id)).values_list("state", flat=True)
    )
    if not states or not states <= DECIDED | {ApprovalTask.State.CANCELLED}:
        return
    step = PERMITS_REFUSED if ApprovalTask.State.REJECTED in states else PERMITS_APPROVED
    with contextlib.suppress(WrongState):  # already moved on by an earlier roll-up
        application_transition(application_id=application_id, name=step.name)
