"""The service-hall counter: find or register the walk-in applicant, file on their behalf
(channel counter, hall recorded, another permit matter's reference noted), submit with the
identity seen in person, print the acceptance receipt with a QR code to the progress page."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.accounts import applicant_account_create
from portal.errors import DomainError
from portal.identity import identity_bind, identity_of
from portal.models import CustomerType, IdentityBinding, Role, User
from portal.pages import role_required, run_form, show_refusal
from portal.pdf import pdf_document, pdf_response

from ..forms import ApplicationForm, CounterIdentityForm
from ..models import Application, Kind
from ..services import application_transition
from ..workflows import SUBMIT
from .applicant import file_from_form
from .common import visible_application

clerk_only = role_required(Role.CLERK)


class RegisterForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=20)
    customer_type = forms.ChoiceField(
        label=gettext_lazy("Applies as"), choices=CustomerType.choices, widget=forms.RadioSelect
    )


class CounterFilingForm(ApplicationForm):
    other_matter_ref = forms.CharField(
        label=gettext_lazy("Reference of another permit matter filed at this window (optional)"),
        max_length=60,
        required=False,
    )


def _home(request: HttpRequest, register: RegisterForm, status: int = 200) -> HttpResponse:
    query = (request.GET.get("q") or "").strip().upper()
    found = []
    if query:
        bound = IdentityBinding.objects.filter(user=OuterRef("pk"), unbound_at__isnull=True)
        found = list(
            User.objects.filter(role=Role.APPLICANT)
            .filter(
                Q(phone=query)
                | Q(applications__id_number=query)
                | Q(identity_bindings__id_number=query, identity_bindings__unbound_at__isnull=True)
            )
            .annotate(bound=Exists(bound))
            .distinct()[:20]
        )
    recent = Application.objects.filter(service_hall=request.user.service_hall).order_by(
        "-created_at"
    )[:20]
    return render(
        request,
        "applications/counter.html",
        {"query": query, "found": found, "register": register, "recent": recent, "kinds": Kind},
        status=status,
    )


@clerk_only
def counter_home(request: HttpRequest) -> HttpResponse:
    """Find an applicant by mobile or ID number, or register them."""
    return _home(request, RegisterForm())


@clerk_only
@require_POST
def counter_register(request: HttpRequest) -> HttpResponse:
    register = RegisterForm(request.POST)
    if register.is_valid():
        data = register.cleaned_data
        try:
            user = applicant_account_create(
                phone=data["phone"], customer_type=data["customer_type"], name=data["first_name"]
            )
        except DomainError as error:
            show_refusal(request, error, register)
        else:
            messages.success(request, _("Applicant registered."))
            return redirect(f"{reverse('applications:counter')}?q={user.phone}")
    return _home(request, register, status=400)


@clerk_only
def counter_file(request: HttpRequest, user_id: int, kind: str) -> HttpResponse:
    """File for the walk-in applicant and submit at once: the clerk has seen the ID card."""
    applicant = get_object_or_404(User, pk=user_id, role=Role.APPLICANT)
    if kind not in Kind.values:
        raise Http404
    identity = identity_of(applicant)
    form = CounterFilingForm(
        kind,
        request.POST or None,
        identity=identity,
        initial={
            "customer_type": applicant.customer_type,
            "phone": applicant.phone,
            "applicant_name": applicant.first_name,
        },
    )
    if request.method == "POST":
        application = file_from_form(request, form, kind=kind, applicant=applicant.pk)
        if application is not None:
            try:
                application_transition(
                    application_id=application.pk, name=SUBMIT.name, actor=request.user
                )
            except DomainError as error:
                messages.error(request, str(error))
            return redirect("applications:counter-application", pk=application.pk)
    return render(
        request,
        "applications/counter_file.html",
        {"form": form, "applicant": applicant, "kind": Kind(kind), "identity": identity},
        status=400 if form.errors else 200,
    )


@clerk_only
def counter_identity(request: HttpRequest, user_id: int) -> HttpResponse:
    """Bind a walk-in's account in person: the clerk reads the name and ID number off the card."""
    applicant = get_object_or_404(User, pk=user_id, role=Role.APPLICANT)
    form = CounterIdentityForm(request.POST or None)

    def bind(data):
        identity_bind(
            user=applicant,
            name=data["name"],
            id_number=data["id_number"],
            method=IdentityBinding.Method.COUNTER,
            clerk=request.user,
        )

    if request.method == "POST" and run_form(
        request, form, bind, _("The applicant's account is bound in person.")
    ):
        return redirect(f"{reverse('applications:counter')}?q={applicant.phone}")
    return render(
        request,
        "applications/counter_identity.html",
        {"form": form, "applicant": applicant, "identity": identity_of(applicant)},
        status=400 if form.errors else 200,
    )


@clerk_only
def counter_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk)
    return render(request, "applications/counter_application.html", {"application": application})


def progress_url(request: HttpRequest, application: Application) -> str:
    query = urlencode({"number": application.number, "check_code": application.check_code})
    return request.build_absolute_uri(f"{reverse('applications:progress')}?{query}")


@clerk_only
def counter_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The acceptance receipt (PDF): number, check code, hall, and a QR code that opens the
    public progress page."""
    application = visible_application(request, pk)
    if not application.number:
        raise Http404
    link = progress_url(request, application)
    png = io.BytesIO()
    segno.make(link, error="m").save(png, kind="png", scale=6, border=2)
    hall = application.service_hall
    now = timezone.localtime()
    with translation.override("zh-hans"):
        kind_label = str(Kind(application.kind).label)
    data = pdf_document(
        title=f"受理回执 {application.number}",
        lines=[
            "用电业务受理回执",
            f"申请编号：{application.number}",
            f"查询码：{application.check_code}",
            f"业务类型：{kind_label}",
            f"申请人：{application.applicant_name}",
            f"受理网点：{hall.name if hall else ''}",
            f"受理时间：{now:%Y-%m-%d %H:%M}",
            *(
                [f"同窗联办事项：{application.other_matter_ref}"]
                if application.other_matter_ref
                else []
            ),
            "扫描下方二维码或访问网上国网，凭申请编号和查询码查询办理进度。",
        ],
        fallback=[
            "Acceptance receipt",
            f"Application {application.number}",
            f"Check code {application.check_code}",
            f"Progress: {link}",
        ],
        at=now,
        png=png.getvalue(),
    )
    return pdf_response(data, f"receipt-{application.number}.pdf")


# The URLs of these pages (collected by `applications/urls.py`).
urlpatterns = [
    path("counter/", counter_home, name="counter"),
    path("counter/register/", counter_register, name="counter-register"),
    path("counter/file/<int:user_id>/<str:kind>/", counter_file, name="counter-file"),
    path("counter/identity/<int:user_id>/", counter_identity, name="counter-identity"),
    path(
        "counter/applications/<int:pk>/",
        counter_application,
        name="counter-application",
    ),
    path(
        "counter/applications/<int:pk>/receipt.pdf",
        counter_receipt,
        name="counter-receipt",
    ),
]
