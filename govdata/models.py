from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SERVICE_CHOICES = [
    ("id_card", _("Resident identity card")),
    ("face", _("Face match")),
    ("business_license", _("Business licence")),
    ("real_estate", _("Real-estate title")),
    ("tenancy", _("Registered lease")),
    ("land_planning", _("Land-use planning permit")),
    ("construction_planning", _("Construction-works planning permit")),
    ("construction_permit", _("Construction permit")),
    ("project_approval", _("Investment project approval")),
]


class GovCall(models.Model):
    """One call to the government platform: what a KPI counts and an auditor reads. Holds no
    personal data: the subject is masked before it is written."""

    service = models.CharField(_("service"), max_length=30, choices=SERVICE_CHOICES)
    application_id = models.BigIntegerField(_("application id"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20
    )  # answered | timeout | unreachable | error | refused
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
