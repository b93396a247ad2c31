"""Rounds of approval. Each time the applicant confirms a scheme that needs permits, a new round
of department tasks opens; a refusal ends a round, a revised (or re-surveyed) scheme confirmed
again opens the next. The round is read from the timeline — the number of confirmations that
led to `works_permitting` — so opening a round twice opens it once, and nothing else has to be
kept in step with it. The roll-up looks only at the current round; earlier ones stay as
history."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from applications.models import State, TimelineEntry
from applications.workflows import CONFIRM_SCHEME

from ..models import ApprovalTask

OPEN = [ApprovalTask.State.PENDING, ApprovalTask.State.RETURNED]


def permit_round(application_id: int) -> int:
    """The application's current round of approval (1 before any confirmation)."""
    confirmations = TimelineEntry.objects.filter(
        application_id=application_id,
        transition=CONFIRM_SCHEME.name,
        to_state=State.WORKS_PERMITTING,
    ).count()
    return max(confirmations, 1)


def round_tasks(application_id: int, round_number: int) -> QuerySet[ApprovalTask]:
    return ApprovalTask.objects.filter(application_id=application_id, round=round_number)


def approval_tasks_cancel(*, application_id: int) -> int:
    """Cancel every open task of the application (it was withdrawn): the departments have
    nothing left to decide. Runs in the caller's transaction; returns how many were cancelled."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("tasks are cancelled inside the transaction that withdraws")
    cancelled = 0
    for task in ApprovalTask.objects.select_for_update().filter(
        application_id=application_id, state__in=OPEN
    ):
        task.cancel()
        task.save(update_fields=["state"])
        cancelled += 1
    return cancelled
