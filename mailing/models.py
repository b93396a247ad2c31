"""Free mailing of an application's papers (the signed contract, the receipts and e-invoices)
by the courier, with every status its signed callbacks reported."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from portal.models import TimeStampedModel

MAX_DELIVERY_ATTEMPTS = 3


class Shipment(TimeStampedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waybill being made")
        CREATED = "created", _("Waybill made")
        ACCEPTED = "accepted", _("Collected by the courier")
        IN_TRANSIT = "in_transit", _("In transit")
        OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
        DELIVERED = "delivered", _("Delivered")
        DELIVERY_FAILED = "delivery_failed", _("Delivery failed: trying again")
        FLAGGED = "flagged", _("Delivery failed: an operator will call")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="shipment"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    address = models.CharField(_("mailing address"), max_length=200)
    contents = models.JSONField(_("contents"), default=list)
    tracking_no = models.CharField(_("tracking number"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    delivery_attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self) -> str:
        return self.tracking_no or self.reference


class ShipmentEvent(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=Shipment.Status.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("shipment status")
        verbose_name_plural = _("shipment statuses")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "status", "at"], name="mailing_one_event")
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status}"
