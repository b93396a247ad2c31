"""The site-survey booking page: the free slots of the application's area grouped by day, for
the applicant or the area's engineer; posting one takes the booking step (or moves the booked
survey, with a reason). Also the survey panel both application pages show."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse

from portal.errors import DomainError
from portal.models import Role

from ..forms import StepForm
from ..models import Application, State
from ..survey import booking_held, booking_step, days_asked, free_slot_days
from ..workflows import CANCEL_SURVEY, RESCHEDULE_SURVEY, SCHEDULE_SURVEY
from .common import take_step, visible_application

PAGE_OF_ROLE = {
    Role.APPLICANT: "applications:page",
    Role.ENGINEER: "applications:engineer-application",
}


def survey_context(application: Application, names: list[str]) -> dict:
    """What the application pages show of the survey: the booking held, and whether this user
    may book, move or cancel it now (cancelling is a step form on the page)."""
    booking = booking_held(application) if application.state == State.SURVEY_SCHEDULED else None
    return {
        "survey_booking": booking,
        "survey_can_book": SCHEDULE_SURVEY.name in names,
        "survey_can_move": RESCHEDULE_SURVEY.name in names,
        "survey_can_cancel": CANCEL_SURVEY.name in names,
    }


def _render(request, application, form=None, status=200) -> HttpResponse:
    step = booking_step(application)
    form = form or StepForm(step, prefix=None)
    try:
        days = free_slot_days(
            application=application, actor=request.user, days=days_asked(request.GET.get("days"))
        )
        refusal = None
    except DomainError as error:
        days, refusal = [], error
        status = error.status if status == 200 else status
    context = {
        "application": application,
        "step": step,
        "form": form,
        "days": days,
        "refusal": refusal,
        "booking": booking_held(application),
        "chosen": form.data.get("slot", "") if form.is_bound else "",
        "back": reverse(PAGE_OF_ROLE[request.user.role], args=[application.pk]),
    }
    return render(request, "applications/survey.html", context, status=status)


@login_required
def survey_booking(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk)
    if request.user.role not in PAGE_OF_ROLE:
        raise PermissionDenied  # only the applicant and the area's engineer book
    if request.method != "POST":
        return _render(request, application)
    return take_step(
        request,
        application,
        booking_step(application).name,
        done=reverse(PAGE_OF_ROLE[request.user.role], args=[pk]),
        refused=lambda form: _render(request, application, form, status=400),
    )


urlpatterns = [
    path("applications/<int:pk>/survey/", survey_booking, name="survey"),
]
