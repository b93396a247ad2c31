"""Matters filed together: a matter filed with another agency (water, gas, property
registration) beside an electricity application, and the property sales the real-estate
registry reported, each with the transfer it prepared for the buyer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ElectricityAccount
from portal.crypto import EncryptedCharField
from portal.models import TimeStampedModel


class Agency(models.TextChoices):
    WATER = "water", _("Water supply")
    GAS = "gas", _("Gas supply")
    PROPERTY_REGISTRATION = "property_registration", _("Property registration")


class LinkedMatter(TimeStampedModel):
    class Status(models.TextChoices):
        FILING = "filing", _("Being filed")
        ACCEPTED = "accepted", _("Accepted by the agency")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="linked_matters"
    )
    agency = models.CharField(_("agency"), max_length=30, choices=Agency.choices)
    number = models.CharField(_("matter number"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.FILING
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("matter filed together")
        verbose_name_plural = _("matters filed together")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "agency"], name="cofiling_one_matter_per_agency"
            )
        ]

    def __str__(self) -> str:
        return self.number or f"{self.application_id}:{self.agency}"


class PropertySale(models.Model):
    class Outcome(models.TextChoices):
        PREPARED = "prepared", _("Transfer prepared for the buyer")
        NO_ACCOUNT = "no_account", _("No electricity account at the address")
        ALREADY_HOLDER = "already_holder", _("The buyer already holds the account")

    sale_number = models.CharField(_("sale number"), max_length=60, unique=True)
    county = models.CharField(_("county code"), max_length=6)
    address = models.CharField(_("address"), max_length=200)
    buyer_name = EncryptedCharField(_("buyer"), max_length=100)
    buyer_id = EncryptedCharField(_("buyer's ID number or credit code"), max_length=18)
    buyer_phone = EncryptedCharField(_("buyer's mobile"), max_length=20)
    completed_at = models.DateTimeField(_("sale completed at"))
    account = models.ForeignKey(
        ElectricityAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="property_sale",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        verbose_name = _("property sale")
        verbose_name_plural = _("property sales")
        ordering = ["-completed_at"]

    def __str__(self) -> str:
        return self.sale_number
