from decimal import Decimal

from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govdata.models import RecordCheck
from govdata.selectors import checks_for
from portal.identity import identity_of
from portal.masking import mask, mask_address, mask_id_number, mask_name, mask_phone
from portal.models import CustomerType, Role, User

from ..extensions import detail_section
from ..models import (
    Application,
    Channel,
    Document,
    DocumentType,
    Kind,
    SiteSupply,
    TimelineEntry,
    Voltage,
)
from ..progress import holder_answer
from ..registry import Input
from ..selectors import consent_request_only, personal_data_masked_for
from ..services import available_transitions
from ..services.creation import CONSENT_VERSION
from ..services.fees import fee_summary
from ..workflows import STEPS  # the declarations, loaded before the schema reads them


class ApplicationCreateSerializer(serializers.Serializer):
    """The filing's fields, for the schema; the rules are `application_filing_clean`'s."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    customer_type = serializers.ChoiceField(choices=CustomerType.choices, required=False)
    applicant_name = serializers.CharField(
        max_length=100,
        required=False,
        help_text="Filing for oneself: taken from the account's bound identity (a different "
        "value is refused). Filing for another person: their name.",
    )
    id_number = serializers.CharField(
        max_length=18,
        required=False,
        allow_blank=True,
        help_text="As applicant_name: the bound identity's, or the other person's.",
    )
    credit_code = serializers.CharField(
        max_length=18,
        required=False,
        allow_blank=True,
        help_text="An enterprise account files with its bound credit code.",
    )
    phone = serializers.CharField(
        max_length=20, help_text="Filing for another person: that person's mobile (told by SMS)."
    )
    for_other = serializers.BooleanField(
        default=False,
        help_text="Filed for another person (a relative, say): send `authorisation` too, as "
        "multipart/form-data.",
    )
    authorisation = serializers.FileField(
        required=False,
        help_text="The other person's signed authorisation (PDF, JPEG or PNG).",
    )
    voltage = serializers.ChoiceField(choices=Voltage.choices, default=Voltage.LOW)
    capacity_kva = serializers.DecimalField(
        max_digits=10, decimal_places=1, required=False, allow_null=True, min_value=Decimal("0")
    )
    supply_county = serializers.CharField(
        max_length=6,
        required=False,
        help_text="New connections only; a capacity increase or a transfer takes the account's "
        "(a different one is refused).",
    )
    supply_address = serializers.CharField(
        max_length=200,
        required=False,
        help_text="New connections only; a capacity increase or a transfer takes the account's.",
    )
    account_number = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="Capacity increase and transfer: the account (户号); look it up first with "
        "POST /api/v1/accounts/lookup/.",
    )
    project_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WEB)
    applicant = serializers.IntegerField(
        required=False, help_text="Counter clerks only: the applicant filed for."
    )
    data_sharing_consent = serializers.BooleanField(
        help_text="The applicant agrees to records being looked up on the government platform."
    )
    consent_version = serializers.CharField(max_length=20, default=CONSENT_VERSION)
    starts_on = serializers.DateField(
        required=False, help_text="Temporary supply: the first day the site needs power."
    )
    ends_on = serializers.DateField(
        required=False,
        help_text="Temporary supply: the last day (within the construction permit's validity, "
        "at most three years after the start).",
    )
    site_contact_name = serializers.CharField(
        max_length=100, required=False, help_text="Temporary supply: the site contact."
    )
    site_contact_phone = serializers.CharField(
        max_length=20, required=False, help_text="Temporary supply: the site contact's mobile."
    )


class TimelineEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEntry
        fields = ["transition", "from_state", "to_state", "actor", "role", "comment", "created_at"]

    def get_actor(self, entry) -> str | None:
        if not entry.actor_id:
            return None
        viewer = self.context["request"].user
        if viewer.role == Role.SUPERVISOR and entry.actor.role == Role.APPLICANT:
            return mask(entry.actor.username)  # an applicant's username is built from the phone
        return entry.actor.username


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "doc_type", "content_type", "size", "original_name", "created_at"]


class DocumentUploadSerializer(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    file = serializers.FileField()


class ApplicationSerializer(serializers.ModelSerializer):
    supply_county = serializers.CharField(source="supply_county_id")
    account_number = serializers.SerializerMethodField()
    applicant = serializers.CharField(source="applicant.username")

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "kind",
            "state",
            "channel",
            "applicant",
            "customer_type",
            "applicant_name",
            "id_number",
            "credit_code",
            "phone",
            "voltage",
            "capacity_kva",
            "supply_county",
            "supply_address",
            "project_code",
            "account_number",
            "service_hall",
            "documents_requested",
            "verification_outcome",
            "survey_slot",
            "line_length_m",
            "crosses_urban_road",
            "crosses_highway",
            "crosses_green_space",
            "scheme_fee",
            "created_at",
            "submitted_at",
            "completed_at",
        ]

    def get_account_number(self, application) -> str | None:
        return application.account.number if application.account_id else None

    def to_representation(self, application):
        user = self.context["request"].user
        if consent_request_only(user, application):
            return consent_request_representation(application, user)
        data = super().to_representation(application)
        if personal_data_masked_for(user, application):
            data["applicant"] = mask(data["applicant"])
            data["applicant_name"] = mask_name(data["applicant_name"])
            data["id_number"] = mask_id_number(data["id_number"])
            data["credit_code"] = mask_id_number(data["credit_code"])
            data["phone"] = mask_phone(data["phone"])
            data["supply_address"] = mask_address(data["supply_address"])
            for document in data.get("documents", []):
                document["original_name"] = ""
        return data


def consent_request_representation(application, user) -> dict:
    """All the current holder of the account sees of a transfer they are asked to consent to."""
    answer = holder_answer(application)
    return {
        "id": application.pk,
        "number": application.number,
        "kind": application.kind,
        "state": application.state,
        "applicant_name": mask_name(application.applicant_name),
        # Once answered, read-only: the answer and where the transfer stands, nothing to do.
        "holder_answer": answer.transition if answer is not None else None,
        "answered_at": answer.created_at if answer is not None else None,
        "available_transitions": []
        if answer is not None
        else available_transitions(application=application, user=user),
    }


class RecordCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecordCheck
        fields = [
            "service",
            "state",
            "reason",
            "document",
            "evidence_service",
            "request_id",
            "provider",
            "response_sha256",
            "checked_at",
        ]


class ApprovalSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.CharField()
    state = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    due_uncertain = serializers.BooleanField()
    permit_number = serializers.CharField()
    question = serializers.CharField(help_text="What the department asks while returned.")
    answer = serializers.CharField()


class AccountLookupSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="capacity_increase or transfer")
    account_number = serializers.CharField(max_length=20)


class AccountSummarySerializer(serializers.Serializer):
    """What the portal knows of an account, filled into a capacity increase or a transfer."""

    account_number = serializers.CharField()
    holder_name = serializers.CharField(help_text="Masked.")
    supply_county = serializers.CharField()
    supply_county_name = serializers.CharField()
    supply_address = serializers.CharField()
    capacity_kva = serializers.DecimalField(max_digits=10, decimal_places=1)
    voltage = serializers.CharField()
    arrears = serializers.DecimalField(max_digits=12, decimal_places=2)


class PropertyLookupSerializer(serializers.Serializer):
    data_sharing_consent = serializers.BooleanField(
        help_text="The applicant's consent to the registry look-up: required."
    )
    applicant = serializers.IntegerField(
        required=False, help_text="Counter clerks: the walk-in applicant's user id."
    )
    id_number = serializers.CharField(
        required=False, help_text="Counter clerks, for a walk-in not bound yet: read off the card."
    )
    credit_code = serializers.CharField(required=False, help_text="Idem, for an enterprise.")


class PropertySerializer(serializers.Serializer):
    """A title the real-estate registry holds for the applicant: a supply address to file."""

    title_number = serializers.CharField()
    supply_county = serializers.CharField()
    supply_county_name = serializers.CharField()
    supply_address = serializers.CharField(help_text="In the registry's form.")
    area_m2 = serializers.FloatField()


class PropertyListSerializer(serializers.Serializer):
    properties = PropertySerializer(many=True)


class FeeItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    basis = serializers.CharField(help_text="fixed, per_kva or per_metre")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=1)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class FeeSerializer(serializers.Serializer):
    """The scheme's quoted fee, itemised: shown before the applicant confirms the scheme."""

    currency = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    items = FeeItemSerializer(many=True)


class SiteSupplySerializer(serializers.ModelSerializer):
    """A temporary supply's period, site contact, permit validity, extension and removal."""

    permanent = serializers.CharField(source="permanent.number", allow_null=True, default=None)

    class Meta:
        model = SiteSupply
        fields = [
            "starts_on",
            "ends_on",
            "contact_name",
            "contact_phone",
            "permit_valid_until",
            "energized_at",
            "reminded_for",
            "overdue_since",
            "extensions",
            "final_reading_kwh",
            "removed_at",
            "permanent",
            "removal_with_permanent",
        ]


class LinkedTemporarySerializer(serializers.Serializer):
    number = serializers.CharField()
    state = serializers.CharField()
    account_number = serializers.CharField(allow_null=True)
    ends_on = serializers.DateField()


class ClockSerializer(serializers.Serializer):
    working_days = serializers.FloatField()
    calendar_days = serializers.FloatField()


class ClocksSerializer(serializers.Serializer):
    turn = serializers.CharField(allow_null=True, help_text="utility, agencies or applicant")
    utility = ClockSerializer()
    agencies = ClockSerializer()
    applicant = ClockSerializer()
    elapsed = ClockSerializer()


class CompensationSerializer(serializers.Serializer):
    days_late = serializers.IntegerField()
    rate_fen = serializers.IntegerField()
    amount_fen = serializers.IntegerField()
    amount = serializers.CharField(help_text="CNY, two decimals")
    credited = serializers.BooleanField()
    credited_at = serializers.DateTimeField(allow_null=True)


class ContactsSerializer(serializers.Serializer):
    procedures = serializers.IntegerField()
    trips = serializers.IntegerField()
    by_channel = serializers.DictField(child=serializers.IntegerField())


class PromiseSerializer(serializers.Serializer):
    """An application's promises: see docs/clocks.md."""

    turn = serializers.CharField(allow_null=True)
    turn_label = serializers.CharField()
    clocks = ClocksSerializer()
    predicted_completion = serializers.DateField(allow_null=True)
    prediction_basis = serializers.CharField()
    queue_position = serializers.IntegerField(allow_null=True)
    commitments_version = serializers.CharField()
    limit_days = serializers.IntegerField(allow_null=True)
    compensation = CompensationSerializer()
    contacts = ContactsSerializer()


class ApplicationDetailSerializer(ApplicationSerializer):
    timeline = TimelineEntrySerializer(many=True, read_only=True)
    fee = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True, read_only=True)
    checks = serializers.SerializerMethodField()
    approvals = serializers.SerializerMethodField()
    promise = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    check_code = serializers.SerializerMethodField()
    site_supply = serializers.SerializerMethodField()
    temporary_supplies = serializers.SerializerMethodField()
    payments = serializers.SerializerMethodField()
    mailing_address = serializers.SerializerMethodField()
    shipments = serializers.SerializerMethodField()
    linked_matters = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "filed_for_other",
            "check_code",
            "site_supply",
            "temporary_supplies",
            "fee",
            "timeline",
            "documents",
            "checks",
            "approvals",
            "promise",
            "payments",
            "mailing_address",
            "shipments",
            "linked_matters",
            "available_transitions",
        ]

    def get_check_code(self, application) -> str | None:
        user = self.context["request"].user
        return application.check_code if user.pk == application.applicant_id else None

    @extend_schema_field(FeeSerializer(allow_null=True))
    def get_fee(self, application) -> dict | None:
        summary = fee_summary(application)
        return FeeSerializer(summary).data if summary is not None else None

    @extend_schema_field(RecordCheckSerializer(many=True))
    def get_checks(self, application) -> list[dict]:
        """Each record check with its evidence, shown in place of a document copy."""
        return RecordCheckSerializer(checks_for(application_id=application.pk), many=True).data

    @extend_schema_field(ApprovalSummarySerializer(many=True))
    def get_approvals(self, application) -> list[dict]:
        """Each department's permit task (provided by the approvals app when installed)."""
        return detail_section("approvals", application)

    @extend_schema_field(PromiseSerializer(allow_null=True))
    def get_promise(self, application) -> dict | None:
        """Whose turn it is, the three clocks, the predicted completion and queue position,
        the compensation accrued and the contacts (provided by the promises app)."""
        return detail_section("promise", application) or None

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_payments(self, application) -> list[dict]:
        """Each payment order, amounts in fen (provided by the payments app when installed)."""
        return detail_section("payments", application)

    def get_mailing_address(self, application) -> str | None:
        user = self.context["request"].user
        return application.mailing_address if user.pk == application.applicant_id else None

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_shipments(self, application) -> list[dict]:
        """Documents mailed, with tracking (provided by the mailing app when installed)."""
        return detail_section("shipments", application)

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_linked_matters(self, application) -> list[dict]:
        """Matters filed together with other agencies (the cofiling app, when installed)."""
        return detail_section("linked_matters", application)

    def get_available_transitions(self, application) -> list[str]:
        return available_transitions(application=application, user=self.context["request"].user)

    @extend_schema_field(SiteSupplySerializer(allow_null=True))
    def get_site_supply(self, application) -> dict | None:
        """A temporary supply's own facts (null for the other kinds)."""
        site = SiteSupply.objects.select_related("permanent").filter(application=application)
        site = site.first()
        if site is None:
            return None
        data = SiteSupplySerializer(site).data
        if personal_data_masked_for(self.context["request"].user, application):
            data["contact_name"] = mask_name(data["contact_name"])
            data["contact_phone"] = mask_phone(data["contact_phone"])
        return data

    @extend_schema_field(LinkedTemporarySerializer(many=True))
    def get_temporary_supplies(self, application) -> list[dict]:
        """The temporary supplies of the same project linked to this permanent connection."""
        linked = SiteSupply.objects.filter(permanent=application).select_related(
            "application__account"
        )
        return [
            {
                "number": site.application.number,
                "state": site.application.state,
                "account_number": site.application.account.number
                if site.application.account_id
                else None,
                "ends_on": site.ends_on,
            }
            for site in linked
        ]


def _api_field(spec: Input, steps: list[str]) -> serializers.Field:
    """The API's form of a step input: the same type and bounds as its form field."""
    field = spec.field()
    common = {"required": False, "help_text": f"{', '.join(steps)}: {field.label or spec.name}"}
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(default=False, **common)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=field.min_value, max_value=field.max_value, **common
        )
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            min_value=Decimal(field.min_value) if field.min_value is not None else None,
            **common,
        )
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=[c for c, _label in field.choices if c], **common)
    return serializers.CharField(allow_blank=True, max_length=field.max_length, **common)


def _transition_serializer() -> type[serializers.Serializer]:
    """The input of every step, from the registry: one body whose fields each step reads."""
    users: dict[str, list[str]] = {}
    specs: dict[str, Input] = {}
    for step in STEPS.values():
        if step.system:
            continue
        for spec in step.inputs:
            specs.setdefault(spec.name, spec)
            users.setdefault(spec.name, []).append(step.name)
    fields = {
        "comment": serializers.CharField(required=False, allow_blank=True, max_length=2000),
        **{name: _api_field(spec, users[name]) for name, spec in specs.items()},
    }
    return type("TransitionSerializer", (serializers.Serializer,), fields)


TransitionSerializer = _transition_serializer()


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)
    identity_bound = serializers.SerializerMethodField(
        help_text="An applicant account bound to a verified person (see /api/v1/identity/)."
    )

    def get_identity_bound(self, user) -> bool:
        return identity_of(user) is not None

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "roles",
            "customer_type",
            "division",
            "service_hall",
            "department",
            "identity_bound",
        ]


class SurveySlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    free = serializers.IntegerField(help_text="Seats left in this slot.")


class SurveySlotDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    slots = SurveySlotSerializer(many=True)


class SurveyBookingSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    area = serializers.CharField(source="area_id", help_text="Division code of the crews' area.")


class SurveySlotsSerializer(serializers.Serializer):
    booked = SurveyBookingSerializer(allow_null=True, help_text="The survey booked now, if any.")
    days = SurveySlotDaySerializer(many=True, help_text="Free slots by working day.")
