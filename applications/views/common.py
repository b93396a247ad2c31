"""Pieces the role modules share: loading what the user may see, taking a step from a page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from govdata.selectors import checks_for
from portal.errors import DomainError
from portal.pages import show_refusal

from ..forms import StepForm
from ..models import Application, DocumentType
from ..registry import step_named
from ..selectors import application_get
from ..services import application_transition


def visible_application(request: HttpRequest, pk: int) -> Application:
    application = application_get(user=request.user, pk=pk)
    if application is None:
        raise Http404
    return application


def checks_context(application: Application) -> dict:
    checks = checks_for(application_id=application.pk)
    for check in checks:
        check.document_label = (
            DocumentType(check.document).label if check.document in DocumentType.values else ""
        )
    return {"application": application, "checks": checks}


def take_step(request: HttpRequest, application: Application, name: str, *, done: str, prefix=...):
    """Take the posted step. Returns (redirect, None) when done, (None, bound form) when refused
    (the form carries the errors beside its fields)."""
    step = step_named(name)
    if step is None:
        raise Http404
    options = {} if prefix is ... else {"prefix": prefix}
    form = StepForm(step, request.POST, request.FILES, **options)
    if form.is_valid():
        try:
            application_transition(
                application_id=application.pk,
                name=name,
                actor=request.user,
                payload=form.payload,
                comment=form.comment_text,
                client_address=request.META.get("REMOTE_ADDR"),
            )
        except DomainError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": step.label})
            return redirect(done), None
    return None, form
