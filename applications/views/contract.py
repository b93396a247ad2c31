"""The applicant reads the supply contract, asks for the SMS code, signs with it."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from portal.errors import DomainError
from portal.masking import mask_phone
from portal.pages import show_refusal
from portal.pdf import pdf_response

from ..forms import StepForm
from ..models import SupplyContract
from ..services.contract import contract_prepare, contract_send_code
from ..workflows import SIGN_CONTRACT
from .common import take_step, visible_application


@login_required
def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, visible_application(request, pk, own=True))


def _render(request, application, form=None, status=200) -> HttpResponse:
    try:
        contract = contract_prepare(application=application)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("applications:page", pk=application.pk)
    form = form or StepForm(SIGN_CONTRACT, prefix=None)
    context = {"application": application, "contract": contract, "form": form}
    return render(request, "applications/contract.html", context, status=status)


@login_required
@require_POST
def contract_code(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk, own=True)
    try:
        contract_send_code(application=application, actor=request.user)
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("A code was sent to %(phone)s.") % {"phone": mask_phone(application.phone)}
        )
    return redirect("applications:contract", pk=pk)


@login_required
@require_POST
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk, own=True)
    return take_step(
        request,
        application,
        SIGN_CONTRACT.name,
        done=reverse("applications:page", args=[pk]),
        refused=lambda form: _render(request, application, form, status=400),
    )


@login_required
@xframe_options_sameorigin  # shown in a frame of the contract page, and of no other site's
@csp_replace({"frame-ancestors": ["'self'"]})
def contract_download(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk, own=True)
    contract = SupplyContract.objects.filter(application=application).first()
    if contract is None:
        raise Http404
    return pdf_response(contract.pdf, f"contract-{application.number}.pdf")


# The URLs of these pages (collected by `applications/urls.py`).
urlpatterns = [
    path("applications/<int:pk>/contract/", contract_page, name="contract"),
    path("applications/<int:pk>/contract/code/", contract_code, name="contract-code"),
    path("applications/<int:pk>/contract/sign/", contract_sign, name="contract-sign"),
    path("applications/<int:pk>/contract.pdf", contract_download, name="contract-pdf"),
]
