"""Who may do what with approvals, as named predicates `(user, obj) -> bool`: used by views, the
API and the services alike."""

from __future__ import annotations

from portal.jurisdiction import same_city
from portal.models import Role

from .models import ApprovalTask, OverdueItem


def in_jurisdiction(user, city_code: str) -> bool:
    """Departments are per city (`city_code`); an approver of the city, or of one of its
    counties, acts for it."""
    return user.division_id is not None and same_city(user.division_id, city_code)


def can_decide(user, task: ApprovalTask) -> bool:
    """An approver of the task's department whose jurisdiction lies in the task's city."""
    return (
        user.role == Role.APPROVER
        and user.department == task.department.code
        and in_jurisdiction(user, task.department.city_id)
    )


def may_follow_up(user, item: OverdueItem) -> bool:
    """Who may be given an overdue item to chase: a supervisor, or an approver who acts for the
    task's department."""
    if user.role == Role.SUPERVISOR:
        return True
    return can_decide(user, item.task)
