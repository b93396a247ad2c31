"""The approver's dashboard and the supervisors' overdue list (server-rendered pages)."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.selectors import application_get
from applications.views.applicant import render_application_page
from portal.access_log import What, personal_data_viewed
from portal.calendar import WorkingDays, working_days_left
from portal.errors import DomainError
from portal.masking import mask_name, mask_phone
from portal.models import Role
from portal.pages import role_required, run_form, show_refusal

from .forms import AnswerForm, DecisionForm, OverdueActionForm
from .models import ApprovalTask, OverdueItem
from .panels import earlier_rounds
from .selectors import approval_task_queue
from .services import (
    OPEN,
    approval_task_answer,
    approval_task_decide,
    overdue_assignees,
    overdue_item_act,
)

PAGE_SIZE = 50


def with_days_left(tasks: list[ApprovalTask]) -> list[ApprovalTask]:
    """Working days left for each open task, with the calendar's entries read once for all."""
    today = timezone.localdate()
    dues = [t.due_date for t in tasks] or [today]
    calendar = WorkingDays(min([today, *dues]), max([today, *dues]))
    for task in tasks:
        task.days_left_now = (
            working_days_left(today, task.due_date, calendar)
            if task.state == ApprovalTask.State.PENDING
            else None
        )
        task.days_late = -task.days_left_now if (task.days_left_now or 0) < 0 else 0
    return tasks


@role_required(Role.APPROVER)
def queue(request: HttpRequest) -> HttpResponse:
    """Open tasks of the approver's department in their jurisdiction, overdue first, then by due
    date, with working days left; the same number of queries however many tasks there are."""
    tasks = approval_task_queue(user=request.user).filter(state__in=OPEN)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "approvals/queue.html",
        {"page": page, "tasks": with_days_left(list(page.object_list))},
    )


@role_required(Role.APPROVER)
def history(request: HttpRequest) -> HttpResponse:
    tasks = (
        ApprovalTask.objects.filter(decided_by=request.user)
        .select_related("application", "department")
        .order_by("-decided_at", "-id")
    )
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "approvals/history.html", {"page": page})


def masked_summary(application) -> list[tuple[str, str]]:
    """What an approver needs to judge the works, with the person's data masked."""
    return [
        (_("Application number"), application.number),
        (_("Kind"), application.get_kind_display()),
        (_("Customer type"), application.get_customer_type_display()),
        (_("Applicant"), mask_name(application.applicant_name)),
        (_("Mobile number"), mask_phone(application.phone)),
        (_("County"), application.supply_county.name),
        (_("Supply address"), application.supply_address),
        (_("Capacity (kVA)"), str(application.capacity_kva)),
        (_("Voltage"), application.get_voltage_display()),
    ]


@role_required(Role.APPROVER)
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: the masked summary, the route facts, the other departments' progress, and the
    decision form. Another department's or city's task is a 404, as in the API."""
    task = approval_task_queue(user=request.user).filter(pk=pk).first()
    if task is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    decide = partial(approval_task_decide, task_id=pk, actor=request.user)
    if request.method == "POST" and run_form(
        request, form, lambda data: decide(**data), _("Decision recorded.")
    ):
        return redirect("approvals:queue")
    application = task.application
    personal_data_viewed(request, what=What.APPLICATION_DETAIL, applications=[application])
    others = (
        application.approval_tasks.filter(round=task.round)
        .exclude(pk=task.pk)
        .select_related("department")
        .order_by("department__code")
    )
    return render(
        request,
        "approvals/task.html",
        {
            "task": with_days_left([task])[0],
            "application": application,
            "summary": masked_summary(application),
            "others": others,
            "earlier_rounds": earlier_rounds(application, task.round),
            "form": form,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@role_required(Role.SUPERVISOR)
def overdue_list(request: HttpRequest) -> HttpResponse:
    """Supervisors: overdue tasks province-wide, open items first."""
    show = request.GET.get("show", "open")
    items = OverdueItem.objects.select_related(
        "task__department__city", "task__application", "assignee"
    ).order_by("closed_at", "opened_at", "id")
    if show != "all":
        items = items.exclude(state=OverdueItem.State.CLOSED)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "approvals/overdue_list.html",
        {"page": page, "show": show, "today": date.today()},
    )


@role_required(Role.SUPERVISOR)
def overdue_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        OverdueItem.objects.select_related(
            "task__department__city", "task__application__supply_county", "assignee"
        ),
        pk=pk,
    )
    form = OverdueActionForm(
        request.POST if request.method == "POST" else None, assignees=overdue_assignees(item)
    )
    if request.method == "POST" and form.is_valid():
        try:
            overdue_item_act(
                item_id=item.pk,
                actor=request.user,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                assignee=form.cleaned_data.get("assignee"),
            )
        except DomainError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("approvals:overdue-item", pk=item.pk)
    application = item.task.application
    personal_data_viewed(request, what=What.APPLICATION_DETAIL, applications=[application])
    return render(
        request,
        "approvals/overdue_item.html",
        {
            "item": item,
            "notes": item.notes.select_related("author"),
            "summary": masked_summary(application),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,  # a post that did not go through
    )


@role_required(Role.APPLICANT)
@require_POST
def task_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant answers a department's question from the application's page; a refused
    answer shows that page again with the error beside the answer."""
    task = get_object_or_404(ApprovalTask, pk=pk, application__applicant=request.user)
    form = AnswerForm(request.POST, initial={"task": task.pk})
    if form.is_valid():
        try:
            approval_task_answer(
                task_id=task.pk, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except DomainError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Answer sent; the department's clock runs again."))
            return redirect("applications:page", pk=task.application_id)
    form.data = form.data.copy()
    form.data["task"] = task.pk
    application = application_get(user=request.user, pk=task.application_id)
    return render_application_page(request, application, bound={"answer": form}, status=400)
