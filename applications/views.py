import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govdata.selectors import checks_for
from portal.forms import ProgressLookupForm
from portal.models import Role
from portal.pdf import pdf_response

from .api.serializers import ApplicationCreateSerializer
from .commitment import COMMITMENT_TEXT, COMMITMENT_TEXT_EN
from .forms import (
    AnswerForm,
    ApplicationForm,
    CommitmentForm,
    ContractSignForm,
    ContractVerifyForm,
    DocumentForm,
    MailingForm,
    RatingForm,
)
from .models import Application, Channel, DocumentType, Kind, State, SupplyContract, TimelineEntry
from .progress import next_holders, progress_path
from .selectors import application_get, application_list, mask
from .services import (
    TransitionError,
    application_create,
    application_transition,
    available_transitions,
    document_add,
)
from .services.applicant import application_rate, application_set_mailing_address
from .services.contract import (
    ContractError,
    contract_prepare,
    contract_send_code,
    contract_verify,
)
from .steps import step_forms


@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """Public progress page: application number + the check code on the receipt or SMS. Shows the
    state and the steps taken with their dates, never personal data."""
    form = ProgressLookupForm(request.GET or None)
    application, steps = None, []
    if form.is_valid():
        candidate = Application.objects.filter(number=form.cleaned_data["number"]).first()
        # Same answer, same work, for a wrong number and a wrong code.
        expected = candidate.check_code if candidate else "------"
        if hmac.compare_digest(expected, form.cleaned_data["check_code"]) and candidate:
            application = candidate
            steps = TimelineEntry.objects.filter(application=application).only(
                "to_state", "created_at", "transition"
            )
    return render(
        request,
        "applications/progress.html",
        {"progress_form": form, "application": application, "steps": steps},
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """The applicant's own applications, newest first."""
    if request.user.role != Role.APPLICANT:
        raise PermissionDenied
    rows = (
        Application.objects.filter(applicant=request.user)
        .select_related("supply_county")
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    consent = (
        Application.objects.filter(
            kind=Kind.TRANSFER, account__holder=request.user, state=State.CONSENT_PENDING
        )
        .select_related("supply_county")
        .order_by("created_at")
    )
    return render(request, "applications/mine.html", {"page": page, "consent": consent})


@login_required
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's application: where it stands, each department's permit task with its due
    date (answer a department's question here), the commitment to sign for a short line, and
    the timeline. Someone else's application is a 404."""
    # The applicant's own, or a transfer of an account the user holds (to give consent).
    application = application_get(user=request.user, pk=pk)
    if application is None or request.user.role != Role.APPLICANT:
        raise Http404
    forms_for_steps, done = take_step(request, application)
    if done:
        return done
    document_form = DocumentForm(
        application.documents_requested,
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    if document_form.is_bound and document_form.is_valid():
        try:
            document_add(
                application=application,
                actor=request.user,
                doc_type=document_form.cleaned_data["doc_type"],
                upload=document_form.cleaned_data["file"],
            )
        except DjangoValidationError as error:
            document_form.add_error("file", error)
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Document received."))
            return redirect("application-page", pk=pk)
    mailing_form = MailingForm(
        request.POST if "mailing" in request.POST else None,
        initial={"mailing_address": application.mailing_address},
    )
    rating_form = RatingForm(request.POST if "rate" in request.POST else None)
    try:
        if mailing_form.is_bound and mailing_form.is_valid():
            application_set_mailing_address(
                application=application,
                actor=request.user,
                address=mailing_form.cleaned_data["mailing_address"],
            )
            messages.success(request, _("Mailing address saved."))
            return redirect("application-page", pk=pk)
        if rating_form.is_bound and rating_form.is_valid():
            application_rate(
                application=application,
                actor=request.user,
                rating=rating_form.cleaned_data["rating"],
                comment=rating_form.cleaned_data["rating_comment"],
            )
            messages.success(request, _("Thank you for your rating."))
            return redirect("application-page", pk=pk)
    except TransitionError as error:
        messages.error(request, str(error))
    answer_form = AnswerForm(request.POST if "answer" in request.POST else None)
    commitment_form = CommitmentForm(request.POST if "accept_commitment" in request.POST else None)
    if request.method == "POST":
        done = _page_action(request, application, answer_form, commitment_form)
        if done:
            return redirect("application-page", pk=pk)
    tasks = list(
        application.approval_tasks.select_related("department").order_by("department__code")
    )
    steps = list(application.timeline.order_by("created_at", "id"))
    return render(
        request,
        "applications/page.html",
        {
            "application": application,
            "tasks": tasks,
            "steps": steps,
            "answer_form": answer_form,
            "commitment_form": commitment_form,
            "commitment_text": COMMITMENT_TEXT,
            "commitment_text_en": COMMITMENT_TEXT_EN,
            "step_forms": forms_for_steps,
            "path": progress_path(application, {step.to_state for step in steps}),
            "is_applicant": application.applicant_id == request.user.pk,
            "holders": next_holders(application),
            "document_form": document_form,
            "mailing_form": mailing_form,
            "rating_form": rating_form,
            "documents": application.documents.order_by("id"),
            **checks_context(application),
        },
        status=400 if request.method == "POST" else 200,
    )


def checks_context(application: Application) -> dict:
    checks = checks_for(application_id=application.pk)
    for check in checks:
        check.document_label = (
            DocumentType(check.document).label if check.document in DocumentType.values else ""
        )
    return {"application": application, "checks": checks}


@login_required
def application_checks(request: HttpRequest, pk: int) -> HttpResponse:
    """The record checks, for the page to poll while they run (htmx)."""
    application = application_get(user=request.user, pk=pk)
    if application is None or application.applicant_id != request.user.pk:
        raise Http404
    context = checks_context(application)
    context["stage_changed"] = application.state != State.VERIFYING
    return render(request, "applications/checks.html", context)


def _page_action(request, application, answer_form, commitment_form) -> bool:
    """Run the form posted on the application page; True when it went through."""
    from approvals.services import approval_task_answer  # the app above this one

    try:
        if answer_form.is_bound and answer_form.is_valid():
            approval_task_answer(
                task_id=answer_form.cleaned_data["task"],
                actor=request.user,
                answer=answer_form.cleaned_data["answer"],
            )
            messages.success(request, _("Answer sent; the department's clock runs again."))
            return True
        if commitment_form.is_bound and commitment_form.is_valid():
            application_transition(
                application_id=application.pk,
                name="file_commitment",
                actor=request.user,
                payload={},
            )
            messages.success(request, _("Commitment signed and filed with the departments."))
            return True
    except ObjectDoesNotExist as error:
        raise Http404 from error
    except TransitionError as error:
        messages.error(request, str(error))
    return False


def _own_application(request: HttpRequest, pk: int) -> Application:
    application = application_get(user=request.user, pk=pk)
    if application is None or application.applicant_id != request.user.pk:
        raise Http404
    return application


@login_required
def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the contract, ask for the SMS code, sign with it."""
    application = _own_application(request, pk)
    form = ContractSignForm(request.POST if "sms_code" in request.POST else None)
    try:
        contract = contract_prepare(application=application)
        if request.method == "POST" and "send_code" in request.POST:
            contract_send_code(application=application, actor=request.user)
            messages.success(
                request,
                _("A code was sent to %(phone)s.") % {"phone": mask(application.phone, 3, 4)},
            )
            return redirect("contract-page", pk=pk)
        if form.is_bound and form.is_valid():
            application_transition(
                application_id=pk,
                name="sign_contract",
                actor=request.user,
                payload={
                    "sms_code": form.cleaned_data["sms_code"],
                    "client_address": request.META.get("REMOTE_ADDR"),
                },
            )
            messages.success(request, _("Contract signed."))
            return redirect("application-page", pk=pk)
    except ContractError as error:
        if form.is_bound:
            form.add_error("sms_code", str(error))
        else:
            messages.error(request, str(error))
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("application-page", pk=pk)
    return render(
        request,
        "applications/contract.html",
        {"application": application, "contract": contract, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def contract_download(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    contract = SupplyContract.objects.filter(application=application).first()
    if contract is None:
        raise Http404
    return pdf_response(contract.pdf, f"contract-{application.number}.pdf")


def contract_verify_page(request: HttpRequest) -> HttpResponse:
    """Anyone holding a contract file can check it is exactly the one signed."""
    form = ContractVerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = {"contract": contract_verify(form.cleaned_data["file"].read())}
    return render(request, "applications/contract_verify.html", {"form": form, "result": result})


def take_step(request: HttpRequest, application: Application):
    """The forms for the steps this user may take now; on a valid POST, take the step and
    return the redirect. Errors stay beside their fields with what was typed."""
    names = available_transitions(application=application, user=request.user)
    posted = request.POST.get("take") if request.method == "POST" else None
    forms_for_steps = step_forms(names, request.POST, request.FILES, posted)
    for form in forms_for_steps:
        if form.is_bound and form.is_valid():
            try:
                application_transition(
                    application_id=application.pk,
                    name=form.name,
                    actor=request.user,
                    payload=form.payload,
                    comment=form.comment,
                )
            except TransitionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": form.label})
                return forms_for_steps, redirect(request.path)
    return forms_for_steps, None


ENGINEER_WAITING = [
    State.PENDING_ACCEPTANCE,
    State.SURVEY_SCHEDULED,
    State.CONSTRUCTION,
    State.INSPECTION,
    State.SETTLEMENT_PENDING,
    State.CONNECTING,
]


@login_required
def engineer_queue(request: HttpRequest) -> HttpResponse:
    """Applications in the engineer's area waiting on them, the longest-waiting first."""
    if request.user.role != Role.ENGINEER:
        raise PermissionDenied
    rows = (
        application_list(user=request.user)
        .filter(state__in=ENGINEER_WAITING)
        .order_by("updated_at", "id")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "applications/engineer_queue.html", {"page": page})


@login_required
def engineer_application(request: HttpRequest, pk: int) -> HttpResponse:
    if request.user.role != Role.ENGINEER:
        raise PermissionDenied
    application = application_get(user=request.user, pk=pk)
    if application is None:
        raise Http404
    forms_for_steps, done = take_step(request, application)
    if done:
        return done
    return render(
        request,
        "applications/engineer_application.html",
        {
            "step_forms": forms_for_steps,
            "steps": application.timeline.order_by("created_at", "id"),
            **checks_context(application),
        },
        status=400 if request.method == "POST" else 200,
    )


DRAFT_KEY = "application-draft-{kind}"


@login_required
def application_new(request: HttpRequest, kind: str) -> HttpResponse:
    """The guided form for one kind. "Save draft" keeps what was typed (in the session) for
    later; "Continue" checks everything with the API's rules and files a draft application,
    whose page then offers to submit it."""
    if request.user.role != Role.APPLICANT:
        raise PermissionDenied
    if kind not in Kind.values:
        raise Http404
    key = DRAFT_KEY.format(kind=kind)
    initial = request.session.get(key) or {
        "customer_type": request.user.customer_type,
        "phone": request.user.phone,
    }
    form = ApplicationForm(kind, request.POST or None, initial=initial)
    if request.method == "POST":
        typed = {k: v for k, v in request.POST.items() if k in form.fields}
        request.session[key] = typed
        if "save_draft" in request.POST:
            messages.success(request, _("Draft saved. Come back any time to finish it."))
            return redirect("application-new", kind=kind)
        fields = judged_fields(form, request, kind=kind, channel=Channel.WEB)
        if fields is not None:
            application, _created = application_create(actor=request.user, fields=fields)
            request.session.pop(key, None)
            return redirect("application-page", pk=application.pk)
    return render(
        request,
        "applications/new.html",
        {"form": form, "kind": Kind(kind)},
        status=400 if form.errors else 200,
    )


def judged_fields(form, request: HttpRequest, **extra) -> dict | None:
    """Judge an application form by the API's rules (every problem at once, consent included);
    the fields to file with, or None with the errors on the form."""
    form.is_valid()
    if set(form.errors) - {"data_sharing_consent"}:
        return None
    data = {**form.cleaned_data, **extra}
    data = {k: v for k, v in data.items() if v not in (None, "") and k in SERIALIZER_FIELDS}
    serializer = ApplicationCreateSerializer(
        data={**data, "data_sharing_consent": True}, context={"request": request}
    )
    if serializer.is_valid() and not form.errors:
        return serializer.fields_for_create(request.user)
    for field, errors in serializer.errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, str(error))
    return None


SERIALIZER_FIELDS = set(ApplicationCreateSerializer().fields)
