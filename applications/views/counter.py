"""The service-hall counter: find or register the walk-in applicant, file on their behalf
(channel counter, hall recorded, another permit matter's reference noted), submit with the
identity seen in person, print the acceptance receipt with a QR code to the progress page."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from portal.access_log import What, personal_data_viewed
from portal.accounts import applicant_account_create
from portal.errors import DomainError
from portal.identity import identity_bind, identity_of
from portal.masking import mask_phone
from portal.models import CustomerType, IdentityBinding, Role, User
from portal.pages import role_required, run_form, show_refusal
from portal.pdf import pdf_document, pdf_response

from ..extensions import panels_for
from ..forms import ApplicationForm, CounterIdentityForm, DocumentForm, step_forms
from ..models import Application, Kind
from ..selectors import counter_applicant_lookup, counter_applicants
from ..services import application_transition, available_transitions, document_add
from ..services.documents import UPLOAD_STATES, document_checklist
from ..workflows import SUBMIT
from .applicant import file_from_form
from .common import properties_choice, take_step, visible_application

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


class LookupForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Mobile or ID number"), max_length=20)


# The applicants this clerk found (or registered) in this session: the only ones the filing
# page opens for them, so a user id in a URL does not reveal anyone else's name and phone.
FOUND_KEY = "counter-found"


def _home(
    request: HttpRequest,
    register: RegisterForm,
    *,
    lookup: LookupForm | None = None,
    found: list | None = None,
    status: int = 200,
) -> HttpResponse:
    recent = Application.objects.filter(service_hall=request.user.service_hall).order_by(
        "-created_at"
    )[:20]
    for person in found or []:
        person.masked_phone = mask_phone(person.phone)
    return render(
        request,
        "applications/counter.html",
        {
            "lookup": lookup or LookupForm(),
            "found": found,
            "register": register,
            "recent": recent,
            "kinds": Kind,
        },
        status=status,
    )


LAST_KEY = "counter-last-found"


def _remember_found(request: HttpRequest, people: list) -> None:
    known = set(request.session.get(FOUND_KEY, []))
    request.session[FOUND_KEY] = sorted(known | {person.pk for person in people})
    request.session[LAST_KEY] = [person.pk for person in people]


@clerk_only
def counter_home(request: HttpRequest) -> HttpResponse:
    """Find an applicant by mobile or ID number (posted: never in a URL), or register them; the
    person just registered is shown from the session, not named in the URL."""
    last = request.session.pop(LAST_KEY, None)
    found = list(counter_applicants().filter(pk__in=last)) if last else None
    return _home(request, RegisterForm(), found=found)


@clerk_only
@require_POST
def counter_lookup(request: HttpRequest) -> HttpResponse:
    """Look an applicant up for filing: throttled per clerk, each person found logged as seen
    for counter filing, and only what filing needs shown (name, masked mobile)."""
    lookup = LookupForm(request.POST)
    if is_ratelimited(
        request,
        group="counter-lookup",
        key="user",
        rate=settings.COUNTER_LOOKUP_RATE,
        method="POST",
        increment=True,
    ):
        lookup.add_error("q", _("Too many look-ups. Try again later."))
        return _home(request, RegisterForm(), lookup=lookup, status=429)
    if not lookup.is_valid():
        return _home(request, RegisterForm(), lookup=lookup, status=400)
    found = counter_applicant_lookup(query=lookup.cleaned_data["q"])
    personal_data_viewed(
        request, what=What.COUNTER_LOOKUP, subject_ids=[person.pk for person in found]
    )
    _remember_found(request, found)
    return _home(request, RegisterForm(), lookup=lookup, found=found)


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
            _remember_found(request, [user])
            return redirect("applications:counter")
    return _home(request, register, status=400)


def _found_applicant(request: HttpRequest, user_id: int) -> User:
    """An applicant this clerk found or registered in this session; 404 for anyone else, so a
    user id in a URL reveals nobody."""
    if user_id not in request.session.get(FOUND_KEY, []):
        raise Http404
    return get_object_or_404(User, pk=user_id, role=Role.APPLICANT)


@clerk_only
def counter_file(request: HttpRequest, user_id: int, kind: str) -> HttpResponse:
    """File for the walk-in applicant and submit at once: the clerk has seen the ID card."""
    applicant = _found_applicant(request, user_id)
    if kind not in Kind.values:
        raise Http404
    if request.method == "GET":  # the form opens with the person's name and mobile
        personal_data_viewed(request, what=What.COUNTER_LOOKUP, subject_ids=[applicant.pk])
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
        {
            "form": form,
            "applicant": applicant,
            "kind": Kind(kind),
            "identity": identity,
            "properties_url": reverse("applications:counter-properties", args=[applicant.pk])
            if "supply_address" in form.fields
            else "",
        },
        status=400 if form.errors else 200,
    )


@clerk_only
@require_POST
def counter_properties(request: HttpRequest, user_id: int) -> HttpResponse:
    """The walk-in's titles (by their binding, or the ID number read off the card), to choose
    the supply address from."""
    applicant = _found_applicant(request, user_id)
    return properties_choice(
        request,
        applicant=applicant.pk,
        id_number=request.POST.get("id_number", ""),
        credit_code=request.POST.get("credit_code", ""),
    )


@clerk_only
def counter_identity(request: HttpRequest, user_id: int) -> HttpResponse:
    """Bind a walk-in's account in person: the clerk reads the name and ID number off the card."""
    applicant = _found_applicant(request, user_id)
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


def _render_application(
    request: HttpRequest, application: Application, *, bound=None, status: int = 200
) -> HttpResponse:
    """The application as the counter handles it: the documents asked for, received (with a
    preview) and missing, an upload on the applicant's behalf, and the steps the clerk may
    take (submitting, supplying the documents)."""
    names = available_transitions(application=application, user=request.user)
    upload = None
    if application.state in UPLOAD_STATES and application.documents_requested:
        upload = bound.get("document") if bound else None
        upload = upload or DocumentForm(application.documents_requested)
    context = {
        "application": application,
        "checklist": document_checklist(application),
        "panels": panels_for(application, request.user),
        "upload_form": upload,
        "step_forms": step_forms(names, bound.get("step") if bound else None),
        "step_url": "applications:counter-step",
    }
    return render(request, "applications/counter_application.html", context, status=status)


@clerk_only
def counter_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk)
    personal_data_viewed(request, what=What.APPLICATION_DETAIL, applications=[application])
    return _render_application(request, application)


@clerk_only
@require_POST
def counter_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a document the walk-in brought, on their behalf (recorded as the clerk's)."""
    application = visible_application(request, pk)
    form = DocumentForm(application.documents_requested, request.POST, request.FILES)

    def add(data):
        document_add(
            application=application, actor=request.user, doc_type=data["doc_type"],
            upload=data["file"],
        )  # fmt: skip

    if run_form(request, form, add, _("Document received.")):
        return redirect("applications:counter-application", pk=pk)
    return _render_application(request, application, bound={"document": form}, status=400)


@clerk_only
@require_POST
def counter_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    application = visible_application(request, pk)
    page = reverse("applications:counter-application", args=[pk])
    return take_step(
        request,
        application,
        name,
        done=page,
        refused=lambda form: _render_application(
            request, application, bound={"step": form}, status=400
        ),
    )


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
    personal_data_viewed(request, what=What.RECEIPT, applications=[application])
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
        at=now,
        png=png.getvalue(),
    )
    return pdf_response(data, f"receipt-{application.number}.pdf")


# The URLs of these pages (collected by `applications/urls.py`).
urlpatterns = [
    path("counter/", counter_home, name="counter"),
    path("counter/lookup/", counter_lookup, name="counter-lookup"),
    path("counter/register/", counter_register, name="counter-register"),
    path("counter/file/<int:user_id>/properties/", counter_properties, name="counter-properties"),
    path("counter/file/<int:user_id>/<str:kind>/", counter_file, name="counter-file"),
    path("counter/identity/<int:user_id>/", counter_identity, name="counter-identity"),
    path(
        "counter/applications/<int:pk>/",
        counter_application,
        name="counter-application",
    ),
    path(
        "counter/applications/<int:pk>/documents/",
        counter_document,
        name="counter-document",
    ),
    path(
        "counter/applications/<int:pk>/steps/<str:name>/",
        counter_step,
        name="counter-step",
    ),
    path(
        "counter/applications/<int:pk>/receipt.pdf",
        counter_receipt,
        name="counter-receipt",
    ),
]
