"""Pages anyone may open: the public progress page and the contract check."""

import hmac

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.core import get_usage

from portal.forms import ProgressLookupForm

from ..extensions import public_panels_for
from ..forms import ContractVerifyForm
from ..models import Application, TimelineEntry
from ..services.contract import contract_verify

# Wrong guesses allowed per application number and per client address (the real one, through
# the trusted proxy): a six-digit code cannot be guessed, and a mistyped code still gets through.
GUESSES_PER_NUMBER = "10/h"
GUESSES_PER_ADDRESS = "30/h"


def _guessing(request: HttpRequest, number: str, *, count: bool) -> bool:
    """True when this number or this address has used up its wrong guesses; `count` records
    one more."""
    limits = [
        ("progress-number", lambda group, request: number, GUESSES_PER_NUMBER),
        ("progress-address", "ip", GUESSES_PER_ADDRESS),
    ]
    usages = [
        get_usage(request, group=group, key=key, rate=rate, increment=count)
        for group, key, rate in limits
    ]
    return any(usage and usage["count"] >= usage["limit"] for usage in usages)


@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """Public progress page: application number + the check code on the receipt or SMS. Shows the
    state and the steps taken with their dates, never personal data."""
    form = ProgressLookupForm(request.GET or None)
    application, steps, status = None, [], 200
    if form.is_valid() and _guessing(request, form.cleaned_data["number"], count=False):
        form.add_error(None, _("Too many attempts. Please try again in an hour."))
        status = 429
    elif form.is_valid():
        candidate = Application.objects.filter(number=form.cleaned_data["number"]).first()
        # Same answer, same work, for a wrong number and a wrong code.
        expected = candidate.check_code if candidate else "------"
        if hmac.compare_digest(expected, form.cleaned_data["check_code"]) and candidate:
            application = candidate
            steps = TimelineEntry.objects.filter(application=application).only(
                "to_state", "created_at", "transition"
            )
        else:
            _guessing(request, form.cleaned_data["number"], count=True)
    return render(
        request,
        "applications/progress.html",
        {
            "progress_form": form,
            "application": application,
            "steps": steps,
            "panels": public_panels_for(application) if application else [],
        },
        status=status,
    )


def contract_verify_page(request: HttpRequest) -> HttpResponse:
    """Anyone holding a contract file can check it is exactly the one signed."""
    form = ContractVerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = {"contract": contract_verify(form.cleaned_data["file"].read())}
    return render(request, "applications/contract_verify.html", {"form": form, "result": result})


# The URLs of these pages (collected by `applications/urls.py`).
urlpatterns = [
    path("progress/", progress, name="progress"),
    path("contracts/verify/", contract_verify_page, name="contract-verify"),
]
