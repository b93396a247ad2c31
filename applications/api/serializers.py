from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govdata.models import RecordCheck
from govdata.selectors import checks_for
from portal.models import CustomerType, Division, Role, User

from ..models import (
    Application,
    Channel,
    Document,
    DocumentType,
    ElectricityAccount,
    Kind,
    TimelineEntry,
    Voltage,
)
from ..selectors import mask, personal_data_masked_for
from ..validators import (
    validate_capacity,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

CONSENT_VERSION = "2026-01"


def _django(validator):
    def run(value):
        try:
            return validator(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    return run


class ApplicationCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    customer_type = serializers.ChoiceField(choices=CustomerType.choices, required=False)
    applicant_name = serializers.CharField(max_length=100)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20)
    voltage = serializers.ChoiceField(choices=Voltage.choices, default=Voltage.LOW)
    capacity_kva = serializers.DecimalField(
        max_digits=10, decimal_places=1, required=False, allow_null=True, min_value=Decimal("0")
    )
    supply_county = serializers.CharField(max_length=6)
    supply_address = serializers.CharField(max_length=200)
    account_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    project_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WEB)
    applicant = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.APPLICANT),
        required=False,
        help_text="Counter clerks only: the applicant filed for.",
    )
    data_sharing_consent = serializers.BooleanField(
        help_text="The applicant agrees to records being looked up on the government platform."
    )
    consent_version = serializers.CharField(max_length=20, default=CONSENT_VERSION)

    def validate_phone(self, value):
        return _django(validate_mobile)(value)

    def validate_data_sharing_consent(self, value):
        if not value:
            raise serializers.ValidationError(
                _("Consent to the record look-ups is needed to handle the application.")
            )
        return value

    def validate_supply_county(self, value):
        county = Division.objects.filter(code=value, level=Division.Level.COUNTY).first()
        if county is None:
            raise serializers.ValidationError(
                _("Choose a county-level division of Shandong province for the supply address.")
            )
        return county

    def validate(self, attrs):
        user = self.context["request"].user
        errors = {}
        if user.role == Role.CLERK:
            applicant = attrs.get("applicant")
            if applicant is None:
                errors["applicant"] = _(
                    "A counter clerk files on behalf of an applicant: name them."
                )
            attrs["channel"] = Channel.COUNTER
        elif user.role == Role.APPLICANT:
            attrs["applicant"] = user
            if attrs["channel"] == Channel.COUNTER:
                errors["channel"] = _("Only a counter clerk files counter applications.")
        else:
            raise serializers.ValidationError(
                _("Only applicants and counter clerks file applications.")
            )
        applicant = attrs.get("applicant")
        customer_type = attrs.get("customer_type") or (applicant.customer_type if applicant else "")
        attrs["customer_type"] = customer_type or CustomerType.RESIDENTIAL
        if attrs["customer_type"] == CustomerType.RESIDENTIAL:
            self._check(attrs, "id_number", validate_id_number, errors)
            attrs["credit_code"] = ""
        else:
            self._check(attrs, "credit_code", validate_credit_code, errors)
            attrs["id_number"] = ""
        kind, capacity = attrs["kind"], attrs.get("capacity_kva")
        account = self._account(attrs, applicant, errors)
        if kind != Kind.TRANSFER:
            if capacity is None:
                errors["capacity_kva"] = _("Give the capacity you need, in kVA.")
            else:
                try:
                    validate_capacity(attrs["voltage"], capacity)
                except DjangoValidationError as exc:
                    errors["capacity_kva"] = exc.messages
                if account is not None and capacity <= account.capacity_kva:
                    errors["capacity_kva"] = _(
                        "An increase must ask for more than the account's %(current)s kVA."
                    ) % {"current": account.capacity_kva}
        else:
            attrs["capacity_kva"] = None
        if (
            attrs["voltage"] == Voltage.HIGH
            and kind != Kind.TRANSFER
            and not attrs.get("project_code")
        ):
            errors["project_code"] = _("A high-voltage connection needs its project code.")
        if errors:
            raise serializers.ValidationError(errors)
        attrs["account"] = account
        return attrs

    def fields_for_create(self, user) -> dict:
        """What `application_create` takes, from the validated data (API and page alike)."""
        fields = dict(self.validated_data)
        fields.pop("data_sharing_consent")
        if fields["channel"] == Channel.COUNTER:
            fields["service_hall"] = user.service_hall
            fields["filed_by"] = user
        return fields

    def _check(self, attrs, name, validator, errors):
        value = (attrs.get(name) or "").strip().upper()
        if not value:
            errors[name] = _("This field is required.")
            return
        try:
            attrs[name] = validator(value)
        except DjangoValidationError as exc:
            errors[name] = exc.messages

    def _account(self, attrs, applicant, errors):
        kind, number = attrs["kind"], (attrs.pop("account_number", "") or "").strip()
        if kind == Kind.NEW_CONNECTION:
            if number:
                errors["account_number"] = _("A new connection has no account number yet.")
            return None
        if not number:
            errors["account_number"] = _("Give the electricity account number (户号).")
            return None
        account = ElectricityAccount.objects.filter(number=number).first()
        if account is None:
            errors["account_number"] = _("No electricity account has this number.")
            return None
        if kind == Kind.CAPACITY_INCREASE and applicant and account.holder_id != applicant.pk:
            errors["account_number"] = _("A capacity increase is filed by the account holder.")
        if kind == Kind.TRANSFER and applicant and account.holder_id == applicant.pk:
            errors["account_number"] = _("You already hold this account.")
        return account


class TimelineEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEntry
        fields = ["transition", "from_state", "to_state", "actor", "role", "comment", "created_at"]

    def get_actor(self, entry) -> str | None:
        return entry.actor.username if entry.actor_id else None


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
        data = super().to_representation(application)
        if personal_data_masked_for(self.context["request"].user, application):
            data["applicant_name"] = mask(data["applicant_name"])
            data["id_number"] = mask(data["id_number"], 4, 4)
            data["phone"] = mask(data["phone"], 3, 4)
            data["supply_address"] = mask(data["supply_address"], 6)
        return data


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


class ApplicationDetailSerializer(ApplicationSerializer):
    timeline = TimelineEntrySerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    checks = serializers.SerializerMethodField()
    approvals = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    check_code = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "check_code",
            "timeline",
            "documents",
            "checks",
            "approvals",
            "available_transitions",
        ]

    def get_check_code(self, application) -> str | None:
        user = self.context["request"].user
        return application.check_code if user.pk == application.applicant_id else None

    @extend_schema_field(RecordCheckSerializer(many=True))
    def get_checks(self, application) -> list[dict]:
        """Each record check with its evidence, shown in place of a document copy."""
        return RecordCheckSerializer(checks_for(application_id=application.pk), many=True).data

    @extend_schema_field(ApprovalSummarySerializer(many=True))
    def get_approvals(self, application) -> list[dict]:
        """Each department's permit task (the approvals app's rows, read through the relation)."""
        return [
            {
                "id": t.id,
                "department": t.department.code,
                "state": t.state,
                "due_date": t.due_date,
                "due_uncertain": t.due_uncertain,
                "permit_number": t.permit_number,
                "question": t.reason if t.state == "returned" or t.returned_at else "",
                "answer": t.answer,
            }
            for t in application.approval_tasks.select_related("department").order_by("id")
        ]

    def get_available_transitions(self, application) -> list[str]:
        from ..services import available_transitions

        return available_transitions(application=application, user=self.context["request"].user)


class TransitionSerializer(serializers.Serializer):
    """The payload of a step. Only the fields a step uses are read; `reason` is required to
    reject or refuse, the survey facts to complete a survey, a slot to schedule one."""

    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    face_consent = serializers.BooleanField(
        required=False, default=False, help_text="submit: separate consent to face recognition."
    )
    face_photo = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2_000_000,
        help_text="submit: base64 photo for the face match; deleted once checked.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    slot = serializers.DateTimeField(required=False)
    line_length_m = serializers.IntegerField(required=False, min_value=0, max_value=50000)
    crosses_urban_road = serializers.BooleanField(required=False, default=False)
    crosses_highway = serializers.BooleanField(required=False, default=False)
    crosses_green_space = serializers.BooleanField(required=False, default=False)
    scheme_fee = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, min_value=Decimal("0")
    )
    accept_commitment = serializers.BooleanField(
        required=False,
        default=False,
        help_text="file_commitment: signs the text of GET /api/v1/commitment/.",
    )

    sms_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=6,
        help_text="sign_contract: the code sent by POST .../contract/code/.",
    )

    REQUIRED = {
        "sign_contract": ["sms_code"],
        "reject": ["reason"],
        "refuse_consent": ["reason"],
        "fail_inspection": ["reason"],
        "schedule_survey": ["slot"],
        "complete_survey": ["line_length_m"],
    }

    def validate(self, attrs):
        name = self.context["transition"]
        missing = {
            field: _("This step needs this field.")
            for field in self.REQUIRED.get(name, [])
            if attrs.get(field) in (None, "")
        }
        if name == "file_commitment" and not attrs.get("accept_commitment"):
            missing["accept_commitment"] = _("Read and accept the commitment to file it.")
        if missing:
            raise serializers.ValidationError(missing)
        return attrs

    def payload(self) -> tuple[dict, str]:
        """(keyword arguments for the transition method, timeline comment)."""
        name, data = self.context["transition"], self.validated_data
        comment = data.get("reason") or data.get("comment") or ""
        if name == "submit":
            return {
                "face_consent": data.get("face_consent", False),
                "face_photo": data.get("face_photo", ""),
            }, comment
        if name == "schedule_survey":
            return {"slot": data["slot"]}, comment
        if name == "sign_contract":
            return {"sms_code": data["sms_code"]}, comment
        if name == "complete_survey":
            keys = ["line_length_m", "crosses_urban_road", "crosses_highway", "crosses_green_space"]
            payload = {k: data[k] for k in keys}
            payload["scheme_fee"] = data.get("scheme_fee")
            return payload, comment
        return {}, comment


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    state = serializers.CharField()
    allowed_transitions = serializers.ListField(child=serializers.CharField())


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)

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
        ]
