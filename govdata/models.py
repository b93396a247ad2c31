from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.crypto import EncryptedJSONField

from .records import all_services
from .records.registry import REASONS

SERVICE_CHOICES = [(service.code, service.label) for service in all_services()]


class GovCall(models.Model):
    """One call to the government platform: what a KPI counts and an auditor reads. Holds no
    personal data: the subject is masked before it is written."""

    service = models.CharField(_("service"), max_length=30, choices=SERVICE_CHOICES)
    application_id = models.BigIntegerField(_("application id"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20
    )  # answered | timeout | unreachable | error | refused | unauthentic
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"))
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    subject = models.CharField(_("subject (masked)"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("government platform call")
        verbose_name_plural = _("government platform calls")
        indexes = [models.Index(fields=["service", "created_at"], name="govcall_service_at_idx")]

    def __str__(self) -> str:
        return f"{self.service} {self.outcome} {self.latency_ms} ms"


class RecordCheck(models.Model):
    """One record check of one application on one service: the unit of fan-out and the outbox's
    subject. Passed checks keep their evidence (request id, time, response hash) in place of a
    document copy. What was asked (ID number, name, face photo) lives in `request`, encrypted,
    only until the check ends; then a masked subject stands in for it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        UNAVAILABLE = "unavailable", _("Platform unavailable")
        DECLINED = "declined", _("Declined by the applicant")

    application_id = models.BigIntegerField(_("application id"), db_index=True)
    service = models.CharField(_("service"), max_length=30, choices=SERVICE_CHOICES)
    state = models.CharField(
        _("state"), max_length=15, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Encrypted; once settled, `request` keeps only the masked subject (see services._settle).
    request = EncryptedJSONField(_("request"), default=dict, blank=True)
    result = EncryptedJSONField(_("result"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    document = models.CharField(_("document standing in"), max_length=30)
    evidence_service = models.CharField(_("evidence from"), max_length=30, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    provider = models.CharField(_("provider"), max_length=40, blank=True)
    response_sha256 = models.CharField(_("response SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("record check")
        verbose_name_plural = _("record checks")
        constraints = [
            models.UniqueConstraint(
                fields=["application_id", "service"], name="one_check_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.service}: {self.state}"

    @property
    def settled(self) -> bool:
        return self.state != self.State.PENDING

    @property
    def reason_label(self) -> str:
        """Why it failed, in the reader's language ("" when there is no known reason)."""
        return str(REASONS.get(self.reason, "")) if self.state == self.State.FAILED else ""
