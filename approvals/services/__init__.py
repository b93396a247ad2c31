"""Approvals' writes, by sub-domain: `tasks` (open every department's task, decide, answer, roll
up), `rounds` (which round of approval is current; cancelling on withdrawal), `overdue` (the
overdue loop and the supervisors' list), `commitment` (filings for short lines). Callers import
from here; who may act is `approvals.permissions`."""

from ..permissions import can_decide, in_jurisdiction, may_follow_up
from .commitment import commitment_file
from .overdue import approval_tasks_mark_overdue, overdue_assignees, overdue_item_act
from .rounds import OPEN, approval_tasks_cancel, permit_round, round_tasks
from .tasks import (
    DECIDED,
    DECISIONS,
    approval_task_answer,
    approval_task_decide,
    approval_tasks_open,
    decision_errors,
    department_approvers,
    route_departments,
)

__all__ = [
    "DECIDED",
    "DECISIONS",
    "OPEN",
    "approval_task_answer",
    "approval_tasks_cancel",
    "approval_task_decide",
    "approval_tasks_mark_overdue",
    "approval_tasks_open",
    "can_decide",
    "commitment_file",
    "decision_errors",
    "department_approvers",
    "in_jurisdiction",
    "may_follow_up",
    "overdue_assignees",
    "overdue_item_act",
    "permit_round",
    "round_tasks",
    "route_departments",
]
