"""The service-hall counter: find or register the walk-in applicant, file on their behalf
(channel counter, hall recorded, another permit matter's reference noted), submit with the
identity seen in person, print the acceptance receipt with a QR code to the progress page."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import CustomerType, Role, User
from portal.pdf import pdf_document, pdf_response

from .forms import ApplicationForm
from .models import Application, Kind
from .selectors import application_get
from .services import TransitionError, application_create, application_transition
from .validators import validate_mobile
from .views import judged_fields


def _clerk(request: HttpRequest) -> None:
    if request.user.role != Role.CLERK:
        raise PermissionDenied


class RegisterForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=20)
    customer_type = forms.ChoiceField(
        label=gettext_lazy("Applies as"), choices=CustomerType.choices, widget=forms.RadioSelect
    )

    def clean_phone(self) -> str:
        try:
            phone = validate_mobile(self.cleaned_data["phone"])
        except DjangoValidationError as error:
            raise forms.ValidationError(error.messages) from error
        if User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("This number is registered already: search for it."))
        return phone


class CounterFilingForm(ApplicationForm):
    other_matter_ref = forms.CharField(
        label=gettext_lazy("Reference of another permit matter filed at this window (optional)"),
        max_length=60,
        required=False,
    )


@login_required
def counter_home(request: HttpRequest) -> HttpResponse:
    """Find an applicant by mobile or ID number, or register them."""
    _clerk(request)
    query = (request.GET.get("q") or "").strip().upper()
    found = []
    if query:
        found = list(
            User.objects.filter(role=Role.APPLICANT)
            .filter(Q(phone=query) | Q(applications__id_number=query))
            .distinct()[:20]
        )
    register = RegisterForm(request.POST or None)
    if request.method == "POST" and register.is_valid():
        data = register.cleaned_data
        user = User(
            username=f"m{data['phone']}",
            first_name=data["first_name"],
            phone=data["phone"],
            role=Role.APPLICANT,
            customer_type=data["customer_type"],
        )
        user.set_unusable_password()  # they sign in later with an SMS code
        user.save()
        messages.success(request, _("Applicant registered."))
        return redirect(f"{reverse('counter')}?q={data['phone']}")
    recent = Application.objects.filter(service_hall=request.user.service_hall).order_by(
        "-created_at"
    )[:20]
    return render(
        request,
        "applications/counter.html",
        {"query": query, "found": found, "register": register, "recent": recent, "kinds": Kind},
        status=400 if register.errors else 200,
    )


@login_required
def counter_file(request: HttpRequest, user_id: int, kind: str) -> HttpResponse:
    """File for the walk-in applicant and submit at once: the clerk has seen the ID card."""
    _clerk(request)
    applicant = get_object_or_404(User, pk=user_id, role=Role.APPLICANT)
    if kind not in Kind.values:
        raise Http404
    form = CounterFilingForm(
        kind,
        request.POST or None,
        initial={
            "customer_type": applicant.customer_type,
            "phone": applicant.phone,
            "applicant_name": applicant.first_name,
        },
    )
    if request.method == "POST":
        fields = judged_fields(form, request, kind=kind, applicant=applicant.pk)
        if fields is not None:
            fields["other_matter_ref"] = form.cleaned_data["other_matter_ref"]
            application, _created = application_create(actor=request.user, fields=fields)
            try:
                application_transition(
                    application_id=application.pk, name="submit", actor=request.user
                )
            except TransitionError as error:
                messages.error(request, str(error))
            return redirect("counter-application", pk=application.pk)
    return render(
        request,
        "applications/counter_file.html",
        {"form": form, "applicant": applicant, "kind": Kind(kind)},
        status=400 if form.errors else 200,
    )


@login_required
def counter_application(request: HttpRequest, pk: int) -> HttpResponse:
    _clerk(request)
    application = application_get(user=request.user, pk=pk)
    if application is None:
        raise Http404
    return render(request, "applications/counter_application.html", {"application": application})


def progress_url(request: HttpRequest, application: Application) -> str:
    query = urlencode({"number": application.number, "check_code": application.check_code})
    return request.build_absolute_uri(f"{reverse('progress')}?{query}")


@login_required
def counter_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The acceptance receipt (PDF): number, check code, hall, and a QR code that opens the
    public progress page."""
    _clerk(request)
    application = application_get(user=request.user, pk=pk)
    if application is None or not application.number:
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
