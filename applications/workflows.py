"""Every step and every kind, declared once (DESIGN section 3).

A `Step` names the kinds it belongs to with its source and target states in each, who may take
it, its inputs and their validation, its label, what it proves before its transaction and what
it sets going inside it. A `KindSpec` names a kind's proxy model, its main path and what
completion does to the account. From these the kinds' django-fsm proxies are built below; the
transition service, the API, the pages, the progress panel and the drawn graphs read the same
declarations through `applications.registry`.

The `apply` functions are pure: they set fields on the application and return; the transition
service locks, checks permissions, saves, writes the timeline and queues side effects.
"""

from __future__ import annotations

import base64

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, transition

from portal.fields import StrictBooleanField, StrictCharField

from . import actors
from .models import Application, Kind, SettlementMethod, State
from .registry import (
    KINDS,
    STEPS,
    Input,
    KindSpec,
    Page,
    Step,
    edges,
    register_kind,
    register_step,
    steps_of,
)
from .services import effects
from .services.contract import contract_code_check
from .services.fees import fee_quoted
from .services.temporary import site_contract_lines, site_details_create, site_filing_clean

COMMITMENT_MAX_LINE_M = 150

# Kinds that build: survey, scheme, works and their permits, contract, meter and power-on. A
# temporary supply for a construction site builds like a new connection, then stays on until it
# is extended or removed (its own steps below).
PERMANENT = [Kind.NEW_CONNECTION, Kind.CAPACITY_INCREASE]
TEMPORARY = [Kind.TEMPORARY_SUPPLY]
WORKS = [*PERMANENT, *TEMPORARY]
ALL_KINDS = [*WORKS, Kind.TRANSFER]

# --- Inputs -------------------------------------------------------------------------------------

NEEDED = _("This step needs this field.")


def _reason_field() -> forms.Field:
    return StrictCharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


REASON = Input("reason", _reason_field, required=True, required_message=NEEDED)
SLOT = Input(
    "slot",
    lambda: forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    ),
    required=True,
    required_message=NEEDED,
)
LINE_LENGTH = Input(
    "line_length_m",
    lambda: forms.IntegerField(
        label=_("Line length (m)"), min_value=0, max_value=50000, required=False
    ),
    required=True,
    required_message=NEEDED,
)


def _flag(name: str, label) -> Input:
    return Input(name, lambda: StrictBooleanField(label=label, required=False))


CROSSES_URBAN_ROAD = _flag("crosses_urban_road", _("Crosses an urban road"))
CROSSES_HIGHWAY = _flag("crosses_highway", _("Crosses a highway"))
CROSSES_GREEN_SPACE = _flag("crosses_green_space", _("Crosses green space"))
SETTLEMENT_METHOD = Input(
    "settlement_method",
    lambda: forms.ChoiceField(
        label=_("How the arrears were settled"),
        choices=[("", "—"), *SettlementMethod.choices],
        required=False,
    ),
    required=True,
    required_message=NEEDED,
)
PAYMENT_REFERENCE = Input(
    "payment_reference",
    lambda: StrictCharField(label=_("Payment reference"), max_length=60, required=False),
)
NEW_END_DATE = Input(
    "new_end_date",
    lambda: forms.DateField(
        label=_("New end date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    ),
    required=True,
    required_message=NEEDED,
)
FINAL_READING = Input(
    "final_reading_kwh",
    lambda: forms.DecimalField(
        label=_("Final meter reading (kWh)"),
        max_digits=12,
        decimal_places=1,
        min_value=0,
        required=False,
    ),
    required=True,
    required_message=NEEDED,
)
FACE_CONSENT = _flag("face_consent", _("I agree to a face check against my ID photo (optional)"))


def _photo_as_data_url(upload) -> str:
    """The page's camera photo, in the API's form (a data URL)."""
    if not (upload.content_type or "").startswith("image/"):
        raise forms.ValidationError(_("Choose a photo (an image file)."))
    return f"data:{upload.content_type};base64,{base64.b64encode(upload.read()).decode()}"


FACE_PHOTO = Input(
    "face_photo",
    lambda: StrictCharField(
        required=False,
        max_length=2_000_000,
        help_text=_("Base64 photo for the face match; deleted once checked."),
    ),
    page_field=lambda: forms.FileField(
        label=_("Photo of your face"),
        required=False,
        help_text=_("Taken now with your phone's camera; deleted once checked."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "user"}),
    ),
    from_page=_photo_as_data_url,
)
ACCEPT_COMMITMENT = Input(
    "accept_commitment",
    lambda: StrictBooleanField(
        label=_("I have read the commitment above and sign it."), required=False
    ),
    required=True,
    required_message=_("Read and accept the commitment to file it."),
)
SMS_CODE = Input(
    "sms_code",
    lambda: StrictCharField(
        label=_("SMS code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    ),
    required=True,
    required_message=NEEDED,
)

# --- Conditions and effects on the row ----------------------------------------------------------


def documents_supplied(application: Application) -> bool:
    uploaded = set(application.documents.values_list("doc_type", flat=True))
    return set(application.documents_requested) <= uploaded


def _submit(application, **_):
    application.submitted_at = timezone.now()


def _verification_passed(application, *, outcome: str, **_):
    application.verification_outcome = outcome
    application.documents_requested = []


def _verification_failed(application, *, documents: list[str], **_):
    application.documents_requested = sorted(set(documents))


def _documents_supplied(application, **_):
    application.verification_outcome = "documents"


def _schedule_survey(application, *, slot, **_):
    # The seat itself is booked by the step's `after` (effects.book_survey), which refuses a
    # time that is not offered or no longer free.
    application.survey_slot = slot


def _cancel_survey(application, **_):
    application.survey_slot = None


def _complete_survey(
    application,
    *,
    line_length_m: int,
    crosses_urban_road: bool = False,
    crosses_highway: bool = False,
    crosses_green_space: bool = False,
    **_,
):
    application.line_length_m = line_length_m
    application.crosses_urban_road = bool(crosses_urban_road)
    application.crosses_highway = bool(crosses_highway)
    application.crosses_green_space = bool(crosses_green_space)
    # Priced from the fee schedule by the step's `after` (effects.quote_fee).
    application.scheme_fee = None


def fee_due(application: Application) -> bool:
    """A confirmed scheme with a fee to pay waits for the payment (issue #15)."""
    return bool(application.scheme_fee and application.scheme_fee > 0)


def _confirm_scheme(application, **_):
    if fee_due(application):
        return State.PAYMENT_PENDING
    return _route_scheme(application)


def _route_scheme(application, **_):
    if not application.has_external_works:
        return State.CONTRACT_PENDING
    if application.line_length_m <= COMMITMENT_MAX_LINE_M:
        return State.WORKS_FILING
    return State.WORKS_PERMITTING


def _after_ownership(application) -> State:
    return State.SETTLEMENT_PENDING if application.account.arrears > 0 else State.CONTRACT_PENDING


def _route_ownership(application, *, owns_property: bool, **_):
    return _after_ownership(application) if owns_property else State.CONSENT_PENDING


def _give_consent(application, **_):
    return _after_ownership(application)


# --- The steps ----------------------------------------------------------------------------------

# Where the applicant may withdraw: every state before the power is on (issue #11). The front
# part is common; each kind adds its own states.
WITHDRAWABLE = [
    State.DRAFT,
    State.VERIFYING,
    State.NEEDS_DOCUMENTS,
    State.PENDING_ACCEPTANCE,
    State.ACCEPTED,
    State.CONTRACT_PENDING,
]
WITHDRAWABLE_WORKS = [
    State.SURVEY_SCHEDULED,
    State.SCHEME_OFFERED,
    State.PAYMENT_PENDING,
    State.WORKS_FILING,
    State.WORKS_PERMITTING,
    State.PERMITS_REJECTED,
    State.CONSTRUCTION,
    State.INSPECTION,
    State.CONNECTING,
]

SUBMIT = register_step(
    Step(
        "submit",
        _("Submit"),
        actors.APPLICANT_OR_CLERK,
        {
            **edges(
                [Kind.CAPACITY_INCREASE, *TEMPORARY, Kind.TRANSFER], State.DRAFT, State.VERIFYING
            ),
            # A permanent connection links to the temporary supply of the same project.
            **edges(
                [Kind.NEW_CONNECTION],
                State.DRAFT,
                State.VERIFYING,
                after=effects.link_temporary_supply,
            ),
        },  # fmt: skip
        apply=_submit,
        inputs=(FACE_CONSENT, FACE_PHOTO),
        after=effects.start_record_checks,
    )
)
WITHDRAW = register_step(
    Step(
        "withdraw",
        _("Withdraw the application"),
        actors.APPLICANT,
        {
            **edges(
                WORKS,
                [*WITHDRAWABLE, *WITHDRAWABLE_WORKS],
                State.WITHDRAWN,
            ),
            **edges(
                [Kind.TRANSFER],
                [*WITHDRAWABLE, State.CONSENT_PENDING, State.SETTLEMENT_PENDING],
                State.WITHDRAWN,
            ),
        },  # fmt: skip
        after=effects.cancel_what_is_open,
    )
)
VERIFICATION_PASSED = register_step(
    Step(
        "verification_passed",
        _("Records verified"),
        actors.SYSTEM,
        {
            **edges(
                [*PERMANENT, Kind.TRANSFER],
                [State.VERIFYING, State.NEEDS_DOCUMENTS],
                State.PENDING_ACCEPTANCE,
            ),
            # The construction permit's validity, as the platform gave it, bounds an extension.
            **edges(
                TEMPORARY,
                [State.VERIFYING, State.NEEDS_DOCUMENTS],
                State.PENDING_ACCEPTANCE,
                after=effects.keep_permit_validity,
            ),
        },  # fmt: skip
        apply=_verification_passed,
        page=Page.NONE,
    )
)
VERIFICATION_FAILED = register_step(
    Step(
        "verification_failed",
        _("Documents asked for"),
        actors.SYSTEM,
        edges(ALL_KINDS, State.VERIFYING, State.NEEDS_DOCUMENTS),
        apply=_verification_failed,
        page=Page.NONE,
    )
)
SUPPLY_DOCUMENTS = register_step(
    Step(
        "supply_documents",
        _("Documents uploaded: send for acceptance"),
        actors.APPLICANT_OR_CLERK,
        edges(ALL_KINDS, State.NEEDS_DOCUMENTS, State.PENDING_ACCEPTANCE),
        apply=_documents_supplied,
        conditions=(documents_supplied,),
        condition_message=_("Not yet: every requested document must be uploaded first."),
    )
)
ACCEPT = register_step(
    Step(
        "accept",
        _("Accept"),
        actors.ENGINEER,
        {
            **edges(WORKS, State.PENDING_ACCEPTANCE, State.ACCEPTED),
            # A transfer asks the registry who owns the property as soon as it is accepted.
            **edges(
                [Kind.TRANSFER],
                State.PENDING_ACCEPTANCE,
                State.ACCEPTED,
                after=effects.ask_registry_for_ownership,
            ),
        },  # fmt: skip
    )
)
REJECT = register_step(
    Step(
        "reject",
        _("Reject"),
        actors.ENGINEER,
        {
            **edges(WORKS, [State.PENDING_ACCEPTANCE, State.PERMITS_REJECTED], State.REJECTED),
            **edges([Kind.TRANSFER], State.PENDING_ACCEPTANCE, State.REJECTED),
        },
        inputs=(REASON,),
    )
)
SCHEDULE_SURVEY = register_step(
    Step(
        "schedule_survey",
        _("Book the site survey"),
        actors.APPLICANT_OR_ENGINEER,
        edges(WORKS, State.ACCEPTED, State.SURVEY_SCHEDULED),
        apply=_schedule_survey,
        inputs=(SLOT,),
        after=effects.book_survey,
        page=Page.OWN,  # the booking page: the free slots grouped by day
    )
)
# Either side may move the survey to another free time or cancel it, giving a reason; a
# cancelled survey goes back to `accepted`, where a new one is booked.
RESCHEDULE_SURVEY = register_step(
    Step(
        "reschedule_survey",
        _("Move the site survey"),
        actors.APPLICANT_OR_ENGINEER,
        edges(WORKS, State.SURVEY_SCHEDULED, State.SURVEY_SCHEDULED),
        apply=_schedule_survey,
        inputs=(SLOT, REASON),
        after=effects.rebook_survey,
        page=Page.OWN,
    )
)
CANCEL_SURVEY = register_step(
    Step(
        "cancel_survey",
        _("Cancel the site survey"),
        actors.APPLICANT_OR_ENGINEER,
        edges(WORKS, State.SURVEY_SCHEDULED, State.ACCEPTED),
        apply=_cancel_survey,
        inputs=(REASON,),
        after=effects.cancel_survey,
    )
)
COMPLETE_SURVEY = register_step(
    Step(
        "complete_survey",
        _("Record the survey"),
        actors.ENGINEER,
        edges(WORKS, State.SURVEY_SCHEDULED, State.SCHEME_OFFERED),
        apply=_complete_survey,
        inputs=(LINE_LENGTH, CROSSES_URBAN_ROAD, CROSSES_HIGHWAY, CROSSES_GREEN_SPACE),
        after=effects.survey_recorded,
    )
)
# A refusal can change the facts: instead of revising the scheme on the same route
# (`revise_scheme`), the engineer surveys a new route and offers the scheme drawn from it.
RESURVEY = register_step(
    Step(
        "resurvey",
        _("Survey the route again"),
        actors.ENGINEER,
        edges(WORKS, State.PERMITS_REJECTED, State.SCHEME_OFFERED),
        apply=_complete_survey,
        inputs=COMPLETE_SURVEY.inputs,
        after=effects.quote_fee,  # the new route's fee, quoted again
    )
)
CONFIRM_SCHEME = register_step(
    Step(
        "confirm_scheme",
        _("Confirm the supply scheme"),
        actors.APPLICANT,
        edges(
            WORKS,
            State.SCHEME_OFFERED,
            RETURN_VALUE(
                State.WORKS_PERMITTING,
                State.WORKS_FILING,
                State.CONTRACT_PENDING,
                State.PAYMENT_PENDING,
            ),
        ),
        apply=_confirm_scheme,
        conditions=(fee_quoted,),
        condition_message=_("Not yet: a high-voltage scheme is confirmed once its fee is quoted."),
        after=effects.request_permits_when_needed,
    )
)
# The payment platform's signed notification (or the reconciliation's query) says the fee is
# paid: the scheme goes where confirming it would have sent it (the payments app takes it).
FEE_PAID = register_step(
    Step(
        "fee_paid",
        _("Fee paid"),
        actors.SYSTEM,
        edges(
            WORKS,
            State.PAYMENT_PENDING,
            RETURN_VALUE(State.WORKS_PERMITTING, State.WORKS_FILING, State.CONTRACT_PENDING),
        ),
        apply=_route_scheme,
        after=effects.request_permits_when_needed,
        page=Page.NONE,
    )
)
FILE_COMMITMENT = register_step(
    Step(
        "file_commitment",
        _("Sign and file the commitment"),
        actors.APPLICANT,
        edges(WORKS, State.WORKS_FILING, State.CONSTRUCTION),
        inputs=(ACCEPT_COMMITMENT,),
        after=effects.file_commitment_with_departments,
        page=Page.OWN,
    )
)
PERMITS_APPROVED = register_step(
    Step(
        "permits_approved",
        _("Every permit granted"),
        actors.SYSTEM,
        edges(WORKS, State.WORKS_PERMITTING, State.CONSTRUCTION),
        page=Page.NONE,
    )
)
PERMITS_REFUSED = register_step(
    Step(
        "permits_refused",
        _("A permit refused"),
        actors.SYSTEM,
        edges(WORKS, State.WORKS_PERMITTING, State.PERMITS_REJECTED),
        page=Page.NONE,
    )
)
REVISE_SCHEME = register_step(
    Step(
        "revise_scheme",
        _("Revise the scheme"),
        actors.ENGINEER,
        edges(WORKS, State.PERMITS_REJECTED, State.SCHEME_OFFERED),
        after=effects.quote_fee,
    )
)
COMPLETE_CONSTRUCTION = register_step(
    Step(
        "complete_construction",
        _("Construction finished"),
        actors.ENGINEER,
        edges(WORKS, State.CONSTRUCTION, State.INSPECTION),
    )
)
PASS_INSPECTION = register_step(
    Step(
        "pass_inspection",
        _("Inspection passed"),
        actors.ENGINEER,
        edges(WORKS, State.INSPECTION, State.CONTRACT_PENDING),
    )
)
FAIL_INSPECTION = register_step(
    Step(
        "fail_inspection",
        _("Inspection failed"),
        actors.ENGINEER,
        edges(WORKS, State.INSPECTION, State.CONSTRUCTION),
        inputs=(REASON,),
    )
)
SIGN_CONTRACT = register_step(
    Step(
        "sign_contract",
        _("Sign the contract"),
        actors.APPLICANT,
        {
            **edges(WORKS, State.CONTRACT_PENDING, State.CONNECTING),
            **edges([Kind.TRANSFER], State.CONTRACT_PENDING, State.COMPLETED),
        },
        inputs=(SMS_CODE,),
        before=contract_code_check,
        after=effects.record_contract_signature,
        page=Page.OWN,
    )
)
ENERGIZE = register_step(
    Step(
        "energize",
        _("Meter installed, power on"),
        actors.ENGINEER,
        {
            **edges([Kind.CAPACITY_INCREASE], State.CONNECTING, State.COMPLETED),
            # The permanent power-on is when a linked temporary supply is to be removed.
            **edges(
                [Kind.NEW_CONNECTION],
                State.CONNECTING,
                State.COMPLETED,
                after=effects.schedule_temporary_removal,
            ),
            # A temporary supply is on until it is extended or removed; its account opens now.
            **edges(
                TEMPORARY,
                State.CONNECTING,
                State.ENERGIZED,
                after=effects.open_temporary_account,
            ),
        },  # fmt: skip
    )
)
EXTEND_SUPPLY = register_step(
    Step(
        "extend_supply",
        _("Extend the temporary supply"),
        actors.APPLICANT,
        edges(TEMPORARY, State.ENERGIZED, State.ENERGIZED),
        inputs=(NEW_END_DATE,),
        after=effects.extend_temporary_supply,
    )
)
REMOVE_SUPPLY = register_step(
    Step(
        "remove_supply",
        _("Meter and line removed, account closed"),
        actors.ENGINEER,
        edges(TEMPORARY, State.ENERGIZED, State.REMOVED),
        inputs=(FINAL_READING,),
        after=effects.remove_temporary_supply,
    )
)
ROUTE_OWNERSHIP = register_step(
    Step(
        "route_ownership",
        _("Ownership looked up"),
        actors.SYSTEM,
        edges(
            [Kind.TRANSFER],
            State.ACCEPTED,
            RETURN_VALUE(State.CONTRACT_PENDING, State.SETTLEMENT_PENDING, State.CONSENT_PENDING),
        ),
        apply=_route_ownership,
        page=Page.NONE,
    )
)
GIVE_CONSENT = register_step(
    Step(
        "give_consent",
        _("Give consent"),
        actors.CURRENT_HOLDER,
        edges(
            [Kind.TRANSFER],
            State.CONSENT_PENDING,
            RETURN_VALUE(State.SETTLEMENT_PENDING, State.CONTRACT_PENDING),
        ),
        apply=_give_consent,
    )
)
REFUSE_CONSENT = register_step(
    Step(
        "refuse_consent",
        _("Refuse consent"),
        actors.CURRENT_HOLDER,
        edges([Kind.TRANSFER], State.CONSENT_PENDING, State.REJECTED),
        inputs=(REASON,),
    )
)
CONFIRM_SETTLEMENT = register_step(
    Step(
        "confirm_settlement",
        _("Arrears settled"),
        actors.ENGINEER,
        edges([Kind.TRANSFER], State.SETTLEMENT_PENDING, State.CONTRACT_PENDING),
        inputs=(SETTLEMENT_METHOD, PAYMENT_REFERENCE),
        after=effects.settle_arrears,
    )
)
# A transfer's arrears paid online by the applicant (the payments app takes it on the payment
# platform's word); the engineer's `confirm_settlement` stays for the counter and the bank.
ARREARS_PAID = register_step(
    Step(
        "arrears_paid",
        _("Arrears paid online"),
        actors.SYSTEM,
        edges([Kind.TRANSFER], State.SETTLEMENT_PENDING, State.CONTRACT_PENDING),
        after=effects.settle_arrears_online,
        page=Page.NONE,
    )
)

# The steps of the survey booking (the booking page and the API's free slots serve them).
SURVEY_BOOKING_STEPS = frozenset(
    s.name for s in (SCHEDULE_SURVEY, RESCHEDULE_SURVEY, CANCEL_SURVEY)
)

# --- The kinds ----------------------------------------------------------------------------------

_BUILD_PATH = [
    State.DRAFT, State.VERIFYING, State.PENDING_ACCEPTANCE, State.ACCEPTED,
    State.SURVEY_SCHEDULED, State.SCHEME_OFFERED, State.WORKS_PERMITTING, State.CONSTRUCTION,
    State.INSPECTION, State.CONTRACT_PENDING, State.CONNECTING, State.COMPLETED,
]  # fmt: skip
register_kind(
    KindSpec(
        Kind.NEW_CONNECTION,
        "NewConnection",
        "new connection",
        _BUILD_PATH,
        effects.open_account,
        new_account=True,
    )
)
register_kind(
    KindSpec(
        Kind.CAPACITY_INCREASE,
        "CapacityIncrease",
        "capacity increase",
        _BUILD_PATH,
        effects.raise_account_capacity,
    )
)
register_kind(
    KindSpec(
        Kind.TRANSFER,
        "Transfer",
        "transfer",
        [
            State.DRAFT,
            State.VERIFYING,
            State.PENDING_ACCEPTANCE,
            State.ACCEPTED,
            State.CONSENT_PENDING,
            State.SETTLEMENT_PENDING,
            State.CONTRACT_PENDING,
            State.COMPLETED,
        ],  # fmt: skip
        effects.transfer_account,
    )
)


register_kind(
    KindSpec(
        Kind.TEMPORARY_SUPPLY,
        "TemporarySupply",
        "temporary supply",
        [*_BUILD_PATH[:-1], State.ENERGIZED, State.REMOVED],
        filing=site_filing_clean,
        details=site_details_create,
        new_account=True,
        contract_lines=site_contract_lines,
    )
)


# --- django-fsm proxies, built from the declarations ------------------------------------------


def _fsm_method(step: Step, kind: str):
    edge = step.edges[kind]

    def method(self, **payload):
        return step.apply(self, **payload) if step.apply else None

    method.__name__ = step.name
    method.__doc__ = str(step.label)
    return transition(
        field="state",
        source=list(edge.sources),
        target=edge.target,
        conditions=list(step.conditions),
        # django-fsm calls permission(instance, user); the actors read (user, application).
        permission=lambda instance, user: step.actor(user, instance),
    )(method)


def _build_model(spec: KindSpec) -> type[Application]:
    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"proxy": True, "verbose_name": spec.verbose_name}),
    }
    for step in steps_of(spec.code):
        attrs[step.name] = _fsm_method(step, spec.code)
    return type(spec.class_name, (Application,), attrs)


for _spec in KINDS.values():
    _spec.model = _build_model(_spec)
NewConnection = KINDS[Kind.NEW_CONNECTION].model
CapacityIncrease = KINDS[Kind.CAPACITY_INCREASE].model
Transfer = KINDS[Kind.TRANSFER].model
TemporarySupply = KINDS[Kind.TEMPORARY_SUPPLY].model

# Read-only views of the declarations, for code that wants a table.
KIND_MODELS: dict[str, type[Application]] = {code: spec.model for code, spec in KINDS.items()}
ACTORS = {name: step.actor for name, step in STEPS.items()}
SYSTEM_STEPS = frozenset(name for name, step in STEPS.items() if step.system)
