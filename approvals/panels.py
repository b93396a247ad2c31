"""What the approvals app adds to an application's page and API detail (registered with
`applications.extensions` from `ApprovalsConfig.ready`): the permits panel, with the form that
answers a department's question, and the summary of each department's task. Both show the
current round of approval first and the earlier rounds as history."""

from __future__ import annotations

from itertools import groupby

from applications.extensions import Panel

from .forms import AnswerForm
from .models import ApprovalTask
from .services import permit_round


def _tasks(application):
    return ApprovalTask.objects.filter(application=application).select_related("department")


def earlier_rounds(application, before: int) -> list[dict]:
    """The rounds before `before`, latest first, each with its tasks: one query."""
    tasks = _tasks(application).filter(round__lt=before).order_by("-round", "department__code")
    return [
        {"round": number, "tasks": list(group)}
        for number, group in groupby(tasks, key=lambda t: t.round)
    ]


def permits_panel_context(application, user, bound: dict) -> dict:
    current = permit_round(application.pk)
    return {
        "application": application,
        "round": current,
        "tasks": list(_tasks(application).filter(round=current).order_by("department__code")),
        "earlier_rounds": earlier_rounds(application, current),
        # Only the applicant answers a department's question; staff see the question.
        "may_answer": getattr(user, "pk", None) == application.applicant_id,
        "answer_form": bound.get("answer") or AnswerForm(),
    }


def approval_summaries(application) -> list[dict]:
    """Each department's permit task in every round, for the API's application detail; the
    current round's are marked `current`, the others are history."""
    current = permit_round(application.pk)
    return [
        {
            "id": t.id,
            "round": t.round,
            "current": t.round == current,
            "department": t.department.code,
            "state": t.state,
            "due_date": t.due_date,
            "due_uncertain": t.due_uncertain,
            "permit_number": t.permit_number,
            "question": t.reason if t.state == ApprovalTask.State.RETURNED or t.returned_at else "",
            "answer": t.answer,
        }
        for t in _tasks(application).order_by("round", "id")
    ]


PERMITS_PANEL = Panel("approvals/permits_panel.html", permits_panel_context)
