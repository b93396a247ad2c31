import hashlib
import secrets

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from govdata.addresses import normalise_address
from portal.crypto import BlindIndexField, EncryptedBinaryField, EncryptedCharField
from portal.models import CustomerType, Division, ServiceHall, TimeStampedModel


class Kind(models.TextChoices):
    NEW_CONNECTION = "new_connection", _("New connection")
    CAPACITY_INCREASE = "capacity_increase", _("Capacity increase")
    TRANSFER = "transfer", _("Name change / transfer")
    TEMPORARY_SUPPLY = "temporary_supply", _("Temporary supply for a construction site")


class Voltage(models.TextChoices):
    LOW = "low", _("Low voltage (220/380 V)")
    HIGH = "high", _("High voltage (10 kV and up)")


class Channel(models.TextChoices):
    WEB = "web", _("Web portal")
    COUNTER = "counter", _("Service hall counter")
    ISHANDONG = "ishandong", _("iShandong app")
    WSGW = "wsgw", _("State Grid online app")
    WECHAT = "wechat", _("WeChat")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    VERIFYING = "verifying", _("Verifying records")
    NEEDS_DOCUMENTS = "needs_documents", _("Documents needed")
    PENDING_ACCEPTANCE = "pending_acceptance", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SURVEY_SCHEDULED = "survey_scheduled", _("Site survey scheduled")
    SCHEME_OFFERED = "scheme_offered", _("Supply scheme offered")
    # The applicant owes the scheme's fee: their time, not the utility's (issue #15).
    PAYMENT_PENDING = "payment_pending", _("Awaiting payment of the fee")
    WORKS_PERMITTING = "works_permitting", _("Permits for the works under approval")
    WORKS_FILING = "works_filing", _("Commitment filing for the works")
    PERMITS_REJECTED = "permits_rejected", _("Permits refused")
    CONSTRUCTION = "construction", _("Construction")
    INSPECTION = "inspection", _("Inspection")
    CONSENT_PENDING = "consent_pending", _("Awaiting the current holder's consent")
    SETTLEMENT_PENDING = "settlement_pending", _("Awaiting settlement of arrears")
    CONTRACT_PENDING = "contract_pending", _("Awaiting contract signature")
    CONNECTING = "connecting", _("Meter installation and power-on")
    COMPLETED = "completed", _("Completed")
    ENERGIZED = "energized", _("Temporary supply on")
    REMOVED = "removed", _("Temporary supply removed")


TERMINAL_STATES = {State.REJECTED, State.WITHDRAWN, State.COMPLETED, State.REMOVED}


class ElectricityAccount(TimeStampedModel):
    """An electricity account (户号) with its holder and contracted capacity."""

    number = models.CharField(_("account number"), max_length=20, unique=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="electricity_accounts",
        verbose_name=_("holder"),
    )
    holder_name = EncryptedCharField(_("holder name"), max_length=100)
    county = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    address = models.CharField(_("supply address"), max_length=200)
    capacity_kva = models.DecimalField(
        _("contracted capacity (kVA)"), max_digits=10, decimal_places=1
    )
    voltage = models.CharField(_("voltage"), max_length=10, choices=Voltage.choices)
    arrears = models.DecimalField(_("arrears (CNY)"), max_digits=12, decimal_places=2, default=0)
    # A temporary supply's account is closed when its meter and line are taken away.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("electricity account")
        verbose_name_plural = _("electricity accounts")

    def __str__(self) -> str:
        return self.number

    @property
    def registry_address(self) -> str:
        """The address as the real-estate registry holds it: county + road + number."""
        return normalise_address(self.address, county=self.county.name)


def new_check_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


class Application(FSMModelMixin, TimeStampedModel):
    """One table for all three kinds; each kind's transitions live on its proxy in workflows.py.

    The state is protected: only transition methods change it, and only services call those.
    """

    # NULL only between insert and numbering (the number is made from the id), in one transaction.
    number = models.CharField(  # noqa: DJ001
        _("application number"), max_length=30, unique=True, null=True
    )
    check_code = models.CharField(_("check code"), max_length=6, default=new_check_code)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    customer_type = models.CharField(
        _("customer type"), max_length=20, choices=CustomerType.choices
    )
    # Encrypted at rest; found by the keyed hashes beside them (portal.crypto).
    applicant_name = EncryptedCharField(_("applicant name"), max_length=100)
    id_number = EncryptedCharField(_("resident ID number"), max_length=18, blank=True)
    id_number_hash = BlindIndexField(source="id_number", kind="id_number")
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    phone = EncryptedCharField(_("mobile number"), max_length=20)
    phone_hash = BlindIndexField(source="phone", kind="phone")

    voltage = models.CharField(_("voltage"), max_length=10, choices=Voltage.choices)
    capacity_kva = models.DecimalField(
        _("requested capacity (kVA)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    supply_county = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="+", verbose_name=_("county of the supply")
    )
    supply_address = models.CharField(_("supply address"), max_length=200)
    project_code = models.CharField(
        _("project code"), max_length=40, blank=True, help_text=_("High-voltage projects only.")
    )
    account = models.ForeignKey(
        ElectricityAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("electricity account"),
    )

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    service_hall = models.ForeignKey(
        ServiceHall,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("service hall"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filed_applications",
        verbose_name=_("filed by clerk"),
    )
    filed_for_other = models.BooleanField(
        _("filed for another person"),
        default=False,
        help_text=_("Filed by an applicant for someone else, with their authorisation."),
    )
    consent_version = models.CharField(_("data-sharing consent text version"), max_length=20)
    consent_at = models.DateTimeField(_("data-sharing consent given at"))

    documents_requested = models.JSONField(_("documents requested"), default=list, blank=True)
    verification_outcome = models.CharField(_("verification outcome"), max_length=30, blank=True)

    survey_slot = models.DateTimeField(_("site survey slot"), null=True, blank=True)
    line_length_m = models.PositiveIntegerField(_("line length (m)"), null=True, blank=True)
    crosses_urban_road = models.BooleanField(_("crosses an urban road"), default=False)
    crosses_highway = models.BooleanField(_("crosses a highway"), default=False)
    crosses_green_space = models.BooleanField(_("crosses green space"), default=False)
    scheme_fee = models.DecimalField(
        _("quoted fee (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    other_matter_ref = models.CharField(
        _("other permit matter filed at the same window"), max_length=60, blank=True
    )
    mailing_address = models.CharField(
        _("mailing address for documents"), max_length=200, blank=True
    )
    rating = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    rating_comment = models.CharField(_("satisfaction comment"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["state", "kind"], name="app_state_kind_idx"),
            models.Index(fields=["supply_county", "state"], name="app_county_state_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def registry_address(self) -> str:
        """The supply address as the real-estate registry holds it: county + road + number,
        whether the county was chosen, typed in front, or both."""
        return normalise_address(self.supply_address, county=self.supply_county.name)

    @property
    def has_external_works(self) -> bool:
        return bool(self.line_length_m)

    @property
    def needed_until(self) -> str:
        """The last day a temporary supply is asked for (ISO), which its construction permit
        must cover; empty for the other kinds. Read by the record checks' `Subject`."""
        site = SiteSupply.objects.filter(application_id=self.pk).only("ends_on").first()
        return site.ends_on.isoformat() if site is not None else ""


class TimelineEntry(models.Model):
    """One row per transition, written in the transition's transaction."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="timeline",
        verbose_name=_("application"),
    )
    transition = models.CharField(_("step"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30, choices=State.choices)
    to_state = models.CharField(_("to"), max_length=30, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    role = models.CharField(_("role"), max_length=20)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} → {self.to_state}"


class DocumentType(models.TextChoices):
    ID_CARD = "id_card", _("Resident identity card")
    BUSINESS_LICENSE = "business_license", _("Business licence")
    PROPERTY_PROOF = "property_proof", _("Property title or registered lease")
    PROJECT_PERMITS = "project_permits", _("Project approval and planning permits")
    CONSTRUCTION_PERMIT = "construction_permit", _("Construction permit")
    AUTHORISATION = "authorisation", _("Authorisation by the person filed for")
    OTHER = "other", _("Other")


def document_path(instance: "Document", filename: str) -> str:
    # The stored name never uses the uploaded name: no path tricks, no personal data in paths.
    return f"documents/{instance.application_id}/{secrets.token_hex(16)}"


def document_storage() -> Storage:
    return storages["documents"]


class Document(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    doc_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    file = models.FileField(_("file"), upload_to=document_path, storage=document_storage)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # An uploaded name often names the person ("张伟身份证.jpg").
    original_name = EncryptedCharField(_("original file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} ({self.application_id})"


class IdempotencyKey(models.Model):
    """A client's `Idempotency-Key` on create, scoped to the caller: the same key from the same
    user with the same body gives the first application back, never a second one; with another
    body it is refused. The key is kept as its SHA-256 (any length, never cut), the body as the
    SHA-256 of its canonical JSON."""

    MAX_LENGTH = 255

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64, default="")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key_hash"], name="idempotency_user_key_hash")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key_hash[:12]}"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class SupplyContract(models.Model):
    """The supply-use contract as the exact PDF shown to the applicant, and its signature: who,
    when, from which address, and the SHA-256 of those bytes."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="contract",
        verbose_name=_("application"),
    )
    account_number = models.CharField(_("account number"), max_length=20)
    pdf = EncryptedBinaryField(_("PDF"))  # it names the customer
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, db_index=True)
    generated_at = models.DateTimeField(_("generated at"), default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_from = models.GenericIPAddressField(_("signed from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("supply contract")
        verbose_name_plural = _("supply contracts")

    def __str__(self) -> str:
        return f"contract {self.account_number}"


# --- Fees and settlements -------------------------------------------------------------------


class FeeBasis(models.TextChoices):
    FIXED = "fixed", _("fixed amount")
    PER_KVA = "per_kva", _("per kVA")
    PER_METRE = "per_metre", _("per metre of line")


class FeeRate(TimeStampedModel):
    """One line of the fee schedule: what a scheme of this voltage (and customer type, or any)
    is charged, on which basis. Operators edit the table in the admin; a quote copies the rate
    it used, so a later change never alters a quote already made."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("item"), max_length=100)
    voltage = models.CharField(_("voltage"), max_length=10, choices=Voltage.choices)
    customer_type = models.CharField(
        _("customer type"),
        max_length=20,
        choices=CustomerType.choices,
        blank=True,
        help_text=_("Empty: every customer type."),
    )
    basis = models.CharField(_("basis"), max_length=20, choices=FeeBasis.choices)
    unit_price = models.DecimalField(_("unit price (CNY)"), max_digits=12, decimal_places=2)
    active = models.BooleanField(_("in force"), default=True)
    position = models.PositiveSmallIntegerField(_("order on the quote"), default=0)

    class Meta:
        ordering = ["voltage", "position", "code"]
        verbose_name = _("fee rate")
        verbose_name_plural = _("fee schedule")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="fee_rate_unit_price_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_voltage_display()})"


class FeeItem(models.Model):
    """One item of an application's quoted fee, computed from the schedule when the survey is
    recorded: the rate's label and price as they were, the quantity, and the amount."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="fee_items",
        verbose_name=_("application"),
    )
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("item"), max_length=100)
    basis = models.CharField(_("basis"), max_length=20, choices=FeeBasis.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=1)
    unit_price = models.DecimalField(_("unit price (CNY)"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(_("quoted at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class SettlementMethod(models.TextChoices):
    COUNTER = "counter", _("Paid at a service-hall counter")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    ONLINE = "online", _("Paid online")
    WAIVED = "waived", _("Waived by the utility")


class ArrearsSettlement(models.Model):
    """The record that an account's arrears were settled before its transfer: how much, how,
    who recorded it and when. The account's arrears are cleared in the same transaction."""

    account = models.ForeignKey(
        ElectricityAccount,
        on_delete=models.PROTECT,
        related_name="settlements",
        verbose_name=_("electricity account"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="settlements",
        verbose_name=_("application"),
    )
    amount = models.DecimalField(_("amount settled (CNY)"), max_digits=12, decimal_places=2)
    method = models.CharField(_("how"), max_length=20, choices=SettlementMethod.choices)
    reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    settled_at = models.DateTimeField(_("settled at"), default=timezone.now)

    class Meta:
        ordering = ["settled_at", "id"]
        verbose_name = _("arrears settlement")
        verbose_name_plural = _("arrears settlements")

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount}"


# --- Temporary supply for a construction site ---------------------------------------------------


class SiteSupply(models.Model):
    """What a temporary supply adds to its application: the period asked for, the site contact,
    the construction permit's validity as the platform gave it, the reminder and overdue marks,
    the removal, and the permanent connection later filed for the same project."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="site_supply",
        verbose_name=_("application"),
    )
    starts_on = models.DateField(_("supply from"))
    ends_on = models.DateField(_("supply until"))
    contact_name = EncryptedCharField(_("site contact"), max_length=100)
    contact_phone = EncryptedCharField(_("site contact's mobile"), max_length=20)
    permit_valid_until = models.DateField(
        _("construction permit valid until"), null=True, blank=True
    )
    energized_at = models.DateTimeField(_("power on at"), null=True, blank=True)
    reminded_for = models.DateField(_("end-date reminder sent for"), null=True, blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("times extended"), default=0)
    final_reading_kwh = models.DecimalField(
        _("final meter reading (kWh)"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    permanent = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="temporary_supplies",
        verbose_name=_("permanent connection"),
    )
    removal_with_permanent = models.BooleanField(
        _("removal scheduled with the permanent power-on"), default=False
    )

    class Meta:
        verbose_name = _("temporary supply")
        verbose_name_plural = _("temporary supplies")
        indexes = [models.Index(fields=["ends_on"], name="site_supply_ends_on_idx")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.starts_on} – {self.ends_on}"
