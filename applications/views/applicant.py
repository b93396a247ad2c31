"""The applicant's pages: my applications, the guided form, the application page, and one URL
for each thing the page lets them do (a step, a document, the mailing address, the rating)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.errors import DomainError
from portal.identity import identity_of
from portal.masking import mask_name
from portal.models import Role
from portal.pages import role_required, run_form, show_refusal

from ..commitment import COMMITMENT_TEXT, COMMITMENT_TEXT_EN
from ..extensions import panels_for
from ..forms import (
    AccountLookupForm,
    ApplicationForm,
    DocumentForm,
    MailingForm,
    RatingForm,
    StepForm,
    step_forms,
)
from ..models import Application, Channel, Kind, State
from ..progress import holder_answer, next_holders, progress_path
from ..registry import kind_spec
from ..selectors import applications_awaiting_consent, consent_request_only
from ..services import (
    application_create,
    application_filing_clean,
    available_transitions,
    document_add,
)
from ..services.accounts import account_lookup
from ..services.applicant import application_rate, application_set_mailing_address
from ..services.fees import fee_summary
from ..workflows import FILE_COMMITMENT, GIVE_CONSENT
from .common import checks_context, properties_choice, take_step, visible_application
from .survey import survey_context

applicant_only = role_required(Role.APPLICANT)


@applicant_only
def my_applications(request: HttpRequest) -> HttpResponse:
    """The applicant's own applications, newest first."""
    rows = (
        Application.objects.filter(applicant=request.user)
        .select_related("supply_county")
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    consent = applications_awaiting_consent(user=request.user)
    context = {"page": page, "consent": consent, "identity": identity_of(request.user)}
    return render(request, "applications/mine.html", context)


def _page_url(application: Application) -> str:
    return reverse("applications:page", args=[application.pk])


def render_application_page(
    request: HttpRequest, application: Application, *, bound=None, status: int = 200
) -> HttpResponse:
    """The applicant's application: where it stands, who holds the next step, the forms for
    what they may do now (`bound` keeps a refused one with its errors), the panels other apps
    add (permits), the commitment for a short line, and the timeline."""
    bound = bound or {}
    names = available_transitions(application=application, user=request.user)
    bound_step = bound.get("step")
    if consent_request_only(request.user, application):
        return render_consent_request(request, application, names, bound_step, status)
    steps = list(application.timeline.order_by("created_at", "id"))
    commitment_form = (
        bound_step
        if bound_step is not None and bound_step.name == FILE_COMMITMENT.name
        else StepForm(FILE_COMMITMENT, prefix=None)
    )
    context = {
        "application": application,
        "steps": steps,
        "step_forms": step_forms(names, bound_step),
        "commitment_form": commitment_form,
        "commitment_text": COMMITMENT_TEXT,
        "commitment_text_en": COMMITMENT_TEXT_EN,
        "path": progress_path(application, {step.to_state for step in steps}),
        "is_applicant": application.applicant_id == request.user.pk,
        "holders": next_holders(application),
        "document_form": bound.get("document") or DocumentForm(application.documents_requested),
        "mailing_form": bound.get("mailing")
        or MailingForm(initial={"mailing_address": application.mailing_address}),
        "rating_form": bound.get("rating") or RatingForm(),
        "documents": application.documents.order_by("id"),
        "fee": fee_summary(application),
        "panels": panels_for(application, request.user, bound),
        **survey_context(application, names),
        **checks_context(application),
    }
    return render(request, "applications/page.html", context, status=status)


def render_consent_request(request, application, names, bound_step, status) -> HttpResponse:
    """The current holder of the account asked to consent: the number, the applicant's masked
    name and the decision — nothing else of the record."""
    answer = holder_answer(application)
    context = {
        "application": application,
        "applicant_name": mask_name(application.applicant_name),
        # Once answered, a read-only status: nothing more is theirs to do.
        "answer": answer,
        "consented": answer is not None and answer.transition == GIVE_CONSENT.name,
        "step_forms": [] if answer is not None else step_forms(names, bound_step),
    }
    return render(request, "applications/consent.html", context, status=status)


def _own_or_holder(request: HttpRequest, pk: int) -> Application:
    """The applicant's own application, or a transfer of an account the user holds (to give
    consent). Someone else's is a 404, and so is any application to staff (whose pages for it
    are their own)."""
    application = visible_application(request, pk)
    if request.user.role != Role.APPLICANT:
        raise Http404
    return application


@login_required
@require_GET
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render_application_page(request, _own_or_holder(request, pk))


@login_required
@require_POST
def application_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Take one step from the application's page."""
    application = _own_or_holder(request, pk)

    def refused(form):
        return render_application_page(request, application, bound={"step": form}, status=400)

    # The holder, once they answered, reads the transfer's status there.
    done = _page_url(application)
    return take_step(request, application, name, done=done, refused=refused)


def _page_action(key: str, make_form, act, success):
    """A view for one thing the page lets the applicant do besides a step: `make_form(request,
    application)` parses it, `act(application, actor, data)` asks the service. Back to the page
    when it went through; the page with the form's errors (400) if not."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        application = visible_application(request, pk, own=True)
        form = make_form(request, application)

        def action(data):
            act(application, request.user, data)

        if run_form(request, form, action, str(success)):
            return redirect(_page_url(application))
        return render_application_page(request, application, bound={key: form}, status=400)

    return view


application_document = _page_action(
    "document",
    lambda request, a: DocumentForm(a.documents_requested, request.POST, request.FILES),
    lambda a, actor, data: document_add(
        application=a, actor=actor, doc_type=data["doc_type"], upload=data["file"]
    ),
    gettext_lazy("Document received."),
)
application_mailing = _page_action(
    "mailing",
    lambda request, a: MailingForm(request.POST),
    lambda a, actor, data: application_set_mailing_address(
        application=a, actor=actor, address=data["mailing_address"]
    ),
    gettext_lazy("Mailing address saved."),
)
application_rating = _page_action(
    "rating",
    lambda request, a: RatingForm(request.POST),
    lambda a, actor, data: application_rate(
        application=a, actor=actor, rating=data["rating"], comment=data["rating_comment"]
    ),
    gettext_lazy("Thank you for your rating."),
)


@login_required
def application_checks(request: HttpRequest, pk: int) -> HttpResponse:
    """The record checks, for the page to poll while they run (htmx)."""
    application = visible_application(request, pk, own=True)
    context = checks_context(application)
    context["stage_changed"] = application.state != State.VERIFYING
    return render(request, "applications/checks.html", context)


DRAFT_KEY = "application-draft-{kind}"


@applicant_only
def application_new(request: HttpRequest, kind: str) -> HttpResponse:
    """The guided form for one kind. "Save draft" keeps what was typed (in the session) for
    later; "Continue" files a draft application (every problem shown at once), whose page then
    offers to submit it."""
    if kind not in Kind.values:
        raise Http404
    identity = identity_of(request.user)
    if identity is None:
        messages.info(
            request,
            _("Bind your account to your identity first; then your applications use it."),
        )
        return redirect("applications:identity")
    for_other = request.GET.get("for") == "other"
    account, lookup = None, None
    if not kind_spec(kind).new_account:  # an increase or a transfer starts from the account
        account, lookup = _start_from_account(request, kind)
        if account is None:
            context = {"kind": Kind(kind), "lookup": lookup, "identity": identity}
            return render(
                request,
                "applications/new.html",
                context,
                status=400 if lookup.errors else 200,
            )
    key = DRAFT_KEY.format(kind=kind)
    initial = request.session.get(key) or {
        "customer_type": request.user.customer_type,
        "phone": "" if for_other else request.user.phone,
    }
    form = ApplicationForm(
        kind,
        request.POST or None,
        request.FILES or None,
        initial=initial,
        identity=identity,
        for_other=for_other,
        account=account,
    )
    if request.method == "POST":
        typed = {k: v for k, v in request.POST.items() if k in form.fields}
        request.session[key] = typed
        if "save_draft" in request.POST:
            messages.success(request, _("Draft saved. Come back any time to finish it."))
            return redirect(request.get_full_path())
        application = file_from_form(request, form, kind=kind, channel=Channel.WEB)
        if application is not None:
            request.session.pop(key, None)
            return redirect(_page_url(application))
    context = {
        "form": form,
        "kind": Kind(kind),
        "for_other": for_other,
        "identity": identity,
        "account": account,
        "properties_url": (
            reverse("applications:properties") if "supply_address" in form.fields else ""
        ),
    }
    return render(request, "applications/new.html", context, status=400 if form.errors else 200)


@applicant_only
@require_POST
def application_properties(request: HttpRequest) -> HttpResponse:
    """The applicant's own titles, to choose the supply address of a new connection from."""
    return properties_choice(request)


def _start_from_account(request: HttpRequest, kind: str):
    """A capacity increase or a transfer begins with the account number (`?account=`, or the
    form's hidden field, or a saved draft's): (the account's summary, None) once found, else
    (None, the look-up form, with the refusal beside its field)."""
    draft = {} if "lookup" in request.GET else request.session.get(DRAFT_KEY.format(kind=kind))
    number = (
        request.POST.get("account_number")
        or request.GET.get("account")
        or (draft or {}).get("account_number")
    )
    lookup = AccountLookupForm({"account": number} if number else None)
    if number and lookup.is_valid():
        try:
            return account_lookup(actor=request.user, kind=kind, number=number), None
        except DomainError as error:
            lookup.add_error("account", error.errors.get("account_number") or str(error))
    return None, lookup


def file_from_form(request: HttpRequest, form, **extra) -> Application | None:
    """Judge the form with the filing service — every problem at once: the service's beside its
    fields, and the form's own for what only the page asks (the radios) — and file it when
    there are none. Returns None with the errors on the form otherwise."""
    form.is_valid()
    data = {k: v for k, v in form.data.items() if k in form.fields}
    data.update({k: v for k, v in request.FILES.items() if k in form.fields})
    fields = None
    try:
        fields = application_filing_clean(actor=request.user, data={**data, **extra})
    except DomainError as error:
        for name in error.errors:
            form.errors.pop(name, None)  # the service's message stands for the field
        show_refusal(request, error, form)
    if fields is None or form.errors:
        return None
    application, _created = application_create(actor=request.user, fields=fields)
    return application


# The URLs of these pages (collected by `applications/urls.py`).
urlpatterns = [
    path("applications/", my_applications, name="mine"),
    path("applications/new/properties/", application_properties, name="properties"),
    path("applications/new/<str:kind>/", application_new, name="new"),
    path("applications/<int:pk>/", application_page, name="page"),
    path("applications/<int:pk>/steps/<str:name>/", application_step, name="step"),
    path("applications/<int:pk>/documents/", application_document, name="document"),
    path("applications/<int:pk>/mailing/", application_mailing, name="mailing"),
    path("applications/<int:pk>/rating/", application_rating, name="rating"),
    path("applications/<int:pk>/checks/", application_checks, name="checks"),
]
