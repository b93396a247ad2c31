"""What the approvals app adds to an application's page and API detail (registered with
`applications.extensions` from `ApprovalsConfig.ready`): the permits panel, with the form that
answers a department's question, and the summary of each department's task."""

from __future__ import annotations

from applications.extensions import Panel

from .forms import AnswerForm
from .models import ApprovalTask


def _tasks(application):
    return ApprovalTask.objects.filter(application=application).select_related("department")


def permits_panel_context(application, user, bound: dict) -> dict:
    return {
        "application": application,
        "tasks": list(_tasks(application).order_by("department__code")),
        "answer_form": bound.get("answer") or AnswerForm(),
    }


def approval_summaries(application) -> list[dict]:
    """Each department's permit task, for the API's application detail."""
    return [
        {
            "id": t.id,
            "department": t.department.code,
            "state": t.state,
            "due_date": t.due_date,
            "due_uncertain": t.due_uncertain,
            "permit_number": t.permit_number,
            "question": t.reason if t.state == ApprovalTask.State.RETURNED or t.returned_at else "",
            "answer": t.answer,
        }
        for t in _tasks(application).order_by("id")
    ]


PERMITS_PANEL = Panel("approvals/permits_panel.html", permits_panel_context)
