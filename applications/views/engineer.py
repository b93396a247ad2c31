"""The engineer's work queue and application page, and one URL per step they take."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.access_log import What, personal_data_viewed
from portal.models import Role
from portal.pages import role_required

from ..extensions import panels_for
from ..forms import step_forms
from ..models import State
from ..selectors import application_list
from ..services import available_transitions
from ..services.documents import document_checklist
from .common import checks_context, take_step, visible_application
from .survey import survey_context

engineer_only = role_required(Role.ENGINEER)

ENGINEER_WAITING = [
    State.PENDING_ACCEPTANCE,
    State.SURVEY_SCHEDULED,
    State.PERMITS_REJECTED,  # to revise or re-survey
    State.CONSTRUCTION,
    State.INSPECTION,
    State.SETTLEMENT_PENDING,
    State.CONNECTING,
]


@engineer_only
def engineer_queue(request: HttpRequest) -> HttpResponse:
    """Applications in the engineer's area waiting on them, the longest-waiting first."""
    # A temporary supply waits on the engineer once its end date has come (removal), and is
    # flagged once it is overdue.
    due_for_removal = Q(state=State.ENERGIZED, site_supply__ends_on__lte=timezone.localdate())
    rows = (
        application_list(user=request.user)
        .filter(Q(state__in=ENGINEER_WAITING) | due_for_removal)
        .select_related("site_supply")
        .order_by("updated_at", "id")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "applications/engineer_queue.html", {"page": page})


def _render(request, application, bound=None, status=200) -> HttpResponse:
    names = available_transitions(application=application, user=request.user)
    context = {
        "step_forms": step_forms(names, bound),
        "step_url": "applications:engineer-step",
        "steps": application.timeline.order_by("created_at", "id"),
        # What apps above add (the permits of every round), read-only for the engineer.
        "panels": panels_for(application, request.user),
        **survey_context(application, names),
        "checklist": document_checklist(application),
        **checks_context(application),
    }
    return render(request, "applications/engineer_application.html", context, status=status)


@engineer_only
def engineer_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk)
    personal_data_viewed(request, what=What.APPLICATION_DETAIL, applications=[application])
    return _render(request, application)


@engineer_only
@require_POST
def engineer_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    application = visible_application(request, pk)
    page = reverse("applications:engineer-application", args=[pk])
    return take_step(
        request,
        application,
        name,
        done=page,
        refused=lambda form: _render(request, application, form, status=400),
    )


# The URLs of these pages (collected by `applications/urls.py`).
urlpatterns = [
    path("engineer/", engineer_queue, name="engineer-queue"),
    path(
        "engineer/applications/<int:pk>/",
        engineer_application,
        name="engineer-application",
    ),
    path(
        "engineer/applications/<int:pk>/steps/<str:name>/",
        engineer_step,
        name="engineer-step",
    ),
]
