"""Pieces the role modules share: loading what the user may see, taking a step from a page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from govdata.selectors import checks_for
from portal.client import client_ip
from portal.errors import DomainError
from portal.pages import run_form

from ..forms import StepForm
from ..models import Application, DocumentType
from ..registry import Page, step_named
from ..selectors import application_get_or_404
from ..services import application_transition
from ..services.properties import CONSENT_FIELD, properties_for_filing


def visible_application(request: HttpRequest, pk: int, *, own: bool = False) -> Application:
    return application_get_or_404(user=request.user, pk=pk, own=own)


def checks_context(application: Application) -> dict:
    checks = checks_for(application_id=application.pk)
    for check in checks:
        check.document_label = (
            DocumentType(check.document).label if check.document in DocumentType.values else ""
        )
    return {"application": application, "checks": checks}


def take_step(request: HttpRequest, application: Application, name: str, *, done: str, refused):
    """Take the posted step: to `done` when it went through, else `refused(form)` — the page
    again, the form carrying the errors beside its fields. The form's prefix is the step's
    name, except for a step with a page of its own (its fields stand alone there)."""
    step = step_named(name)
    if step is None:
        raise Http404
    form = StepForm(
        step, request.POST, request.FILES, prefix=None if step.page == Page.OWN else name
    )

    def take(data):
        application_transition(
            application_id=application.pk,
            name=name,
            actor=request.user,
            payload=form.payload,
            comment=form.comment_text,
            client_address=client_ip(request),
        )

    if run_form(request, form, take, _("Done: %(step)s.") % {"step": step.label}):
        return redirect(done)
    return refused(form)


def properties_choice(request: HttpRequest, **who) -> HttpResponse:
    """ "Choose your property" on a filing page (htmx): the titles the registry holds for the
    applicant, as choices of the supply address, or why they cannot be listed. Asked with the
    consent ticked on the same form."""
    consent = request.POST.get(CONSENT_FIELD) in ("on", "true", "1")
    context: dict = {"properties": None, "refusal": ""}
    try:
        context["properties"] = properties_for_filing(
            actor=request.user, consent=consent, path=request.path_info, **who
        )
    except DomainError as error:
        context["refusal"] = " ".join(m for v in error.errors.values() for m in v) or str(error)
    status = 400 if context["refusal"] else 200
    return render(request, "applications/properties.html", context, status=status)
