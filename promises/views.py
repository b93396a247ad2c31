"""The supervisors' compensation list, and the form staff record a contact with."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.selectors import application_get_or_404
from portal.models import Role
from portal.pages import role_required, run_form

from .forms import ContactForm
from .interactions import interaction_record
from .selectors import compensation_late, compensation_rows

PAGE_SIZE = 50


@role_required(Role.SUPERVISOR)
def compensation_list(request: HttpRequest) -> HttpResponse:
    """Supervisors: every application owed compensation for delay, accruing or credited."""
    page = Paginator(compensation_late(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = compensation_rows(page.object_list)
    return render(request, "promises/compensation_list.html", {"page": page, "rows": rows})


@role_required(Role.CLERK, Role.ENGINEER)
@require_POST
def contact_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact the steps do not record themselves: a call, an SMS answered, a visit."""
    application = application_get_or_404(user=request.user, pk=pk)
    form = ContactForm(request.POST)

    def record(data):
        interaction_record(
            application_id=application.pk,
            actor=request.user,
            channel=data["channel"],
            note=data.get("note", ""),
        )

    back = (
        reverse("applications:engineer-application", args=[pk])
        if request.user.role == Role.ENGINEER
        else reverse("applications:counter-application", args=[pk])
    )
    if run_form(request, form, record, _("Contact recorded.")):
        return redirect(back)
    return render(
        request, "promises/contact_refused.html", {"form": form, "back": back}, status=400
    )
