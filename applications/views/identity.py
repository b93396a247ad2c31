"""The applicant's real-name binding: see how the account is bound, bind it online (name, ID
number and a face match, with its own consent), and bind an enterprise account's credit code.
The binding is made once; afterwards the page only shows it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govdata.identity import enterprise_verify_online, identity_verify_online
from portal.identity import identity_of
from portal.models import CustomerType, Role
from portal.pages import role_required, run_form

from ..forms import EnterpriseIdentityForm, IdentityForm

applicant_only = role_required(Role.APPLICANT)


def _page(request: HttpRequest, *, person=None, enterprise=None, status: int = 200):
    binding = identity_of(request.user)
    wants_enterprise = (
        request.user.customer_type == CustomerType.ENTERPRISE
        and binding is not None
        and not binding.credit_code
    )
    context = {
        "binding": binding,
        "person_form": person or (IdentityForm(page=True) if binding is None else None),
        "enterprise_form": enterprise or (EnterpriseIdentityForm() if wants_enterprise else None),
    }
    return render(request, "applications/identity.html", context, status=status)


@applicant_only
def identity_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@applicant_only
@require_POST
def identity_bind_online(request: HttpRequest) -> HttpResponse:
    form = IdentityForm(request.POST, request.FILES, page=True)

    def bind(data):
        identity_verify_online(
            user=request.user,
            name=data["name"],
            id_number=data["id_number"],
            face_consent=data["face_consent"],
            photo=data["face_photo"],
        )

    if run_form(request, form, bind, str(gettext_lazy("Your account is bound to you."))):
        return redirect("applications:identity")
    return _page(request, person=form, status=400)


@applicant_only
@require_POST
def identity_bind_enterprise(request: HttpRequest) -> HttpResponse:
    form = EnterpriseIdentityForm(request.POST)

    def bind(data):
        enterprise_verify_online(user=request.user, credit_code=data["credit_code"])

    if run_form(request, form, bind, str(gettext_lazy("Your enterprise account is bound."))):
        return redirect("applications:identity")
    return _page(request, enterprise=form, status=400)


# The URLs of these pages (collected by `applications/urls.py`).
urlpatterns = [
    path("account/identity/", identity_page, name="identity"),
    path("account/identity/bind/", identity_bind_online, name="identity-bind"),
    path("account/identity/enterprise/", identity_bind_enterprise, name="identity-enterprise"),
]
