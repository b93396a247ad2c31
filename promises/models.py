"""Promises kept in the open: the service commitments (versioned), the version an application
was filed under, every contact with the applicant, and the compensation credited for delay."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ElectricityAccount, Kind, Voltage
from payments.money import to_yuan
from portal.models import CustomerType


def yuan(fen: int) -> str:
    """An amount in fen as CNY with two decimals, exactly (`payments.money.to_yuan`)."""
    return str(to_yuan(fen))


class Phase(models.TextChoices):
    """What a commitment limits. `WHOLE` is the utility's whole-process time (what compensation
    is measured against); the others are the published per-step limits."""

    WHOLE = "whole", _("Whole process (the utility's time)")
    SCHEME_REPLY = "scheme_reply", _("Supply scheme reply")
    DESIGN_REVIEW = "design_review", _("Design review")
    MID_INSPECTION = "mid_inspection", _("Mid-construction inspection")
    COMPLETION_INSPECTION = "completion_inspection", _("Completion inspection")
    CONNECTION = "connection", _("Meter installation and power-on")
    APPROVALS = "approvals", _("Department approvals")


class CommitmentSet(models.Model):
    """One version of the commitments table. The version in force is the latest whose
    `effective_from` has come; an application keeps the version in force when it was filed, so
    operators change the table by adding a version, never by editing one in use."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    effective_from = models.DateField(_("in force from"))
    source = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = _("service commitments (version)")
        verbose_name_plural = _("service commitments (versions)")

    def __str__(self) -> str:
        return self.version


class Commitment(models.Model):
    """A time limit in working days for one phase of the applications of a kind, voltage and
    customer type (empty: any). On the whole-process row, the compensation per working day late."""

    commitment_set = models.ForeignKey(
        CommitmentSet,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("version"),
    )
    phase = models.CharField(_("phase"), max_length=30, choices=Phase.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    voltage = models.CharField(_("voltage"), max_length=10, choices=Voltage.choices)
    customer_type = models.CharField(
        _("customer type"), max_length=20, choices=CustomerType.choices, blank=True
    )
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"))
    compensation_fen_per_day = models.PositiveIntegerField(
        _("compensation per working day late (fen)"),
        default=0,
        help_text=_("Whole-process rows only. 100 fen = 1 CNY."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["commitment_set", "voltage", "kind", "customer_type", "phase"]
        verbose_name = _("service commitment")
        verbose_name_plural = _("service commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment_set", "phase", "kind", "voltage", "customer_type"],
                name="one_commitment_per_phase_and_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.limit_days}"


class ApplicationPromise(models.Model):
    """The commitments version an application was filed under (kept at submission)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="promise", verbose_name=_("application")
    )
    commitment_set = models.ForeignKey(
        CommitmentSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("version")
    )
    filed_at = models.DateTimeField(_("filed at"))
    # Kept at every step, so the supervisors' list finds the late ones with one indexed query:
    # the utility's working time at the last step, and when compensation starts (or started)
    # to accrue — null while it cannot (the clock is stopped below the limit, or ended).
    utility_at_step = models.DurationField(_("utility's time at the last step"), default=timedelta)
    step_at = models.DateTimeField(_("last step at"), null=True, blank=True)
    owed_from = models.DateTimeField(_("compensation accrues from"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owed_from"], name="promise_owed_from")]
        verbose_name = _("commitments version of an application")
        verbose_name_plural = _("commitments versions of applications")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.commitment_set_id}"


class ContactChannel(models.TextChoices):
    ONLINE = "online", _("Online step")
    COUNTER = "counter", _("Counter visit")
    SITE = "site", _("Site visit")
    CALL = "call", _("Telephone call")
    SMS = "sms", _("SMS answered")


class Interaction(models.Model):
    """One contact with the applicant. A counter visit is a trip the applicant made; a site visit
    is the utility going to them."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="interactions",
        verbose_name=_("application"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    at = models.DateTimeField(_("at"))
    step = models.CharField(_("step"), max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["application", "channel"], name="interaction_app_chan")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.channel}"


class LedgerEntry(models.Model):
    """An entry on an electricity account's ledger. Compensation for delay is credited once per
    application: the constraint holds it even against concurrent retries."""

    class Kind(models.TextChoices):
        COMPENSATION = "compensation", _("Compensation for delay")

    account = models.ForeignKey(
        ElectricityAccount,
        on_delete=models.PROTECT,
        related_name="ledger",
        verbose_name=_("electricity account"),
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="+", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount_fen = models.IntegerField(_("amount (fen, positive = credit)"))
    days_late = models.PositiveSmallIntegerField(_("working days late"))
    rate_fen = models.PositiveIntegerField(_("rate per working day (fen)"))
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="+", verbose_name=_("commitment")
    )
    created_at = models.DateTimeField(_("credited at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="one_ledger_entry_per_application_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount_yuan}"

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount_fen)
