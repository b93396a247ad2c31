"""Payments of what an application owes (the high-voltage scheme's fee, a transfer's arrears):
the order at the payment platform, every notification received, the e-invoice, and the
differences the daily statement showed. Money is integer fen with its currency, never a float."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from portal.models import TimeStampedModel


class Purpose(models.TextChoices):
    SCHEME_FEE = "scheme_fee", _("Supply scheme fee")
    ARREARS = "arrears", _("Arrears of the account")


class PaymentOrder(TimeStampedModel):
    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        PENDING = "pending", _("Waiting for payment")
        PAID = "paid", _("Paid")
        FLAGGED = "flagged", _("Amount differs: held for an operator")
        REFUND_PENDING = "refund_pending", _("Refund requested")
        REFUNDED = "refunded", _("Refunded")
        CLOSED = "closed", _("Closed unpaid")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="payment_orders"
    )
    purpose = models.CharField(_("for"), max_length=20, choices=Purpose.choices)
    merchant_order_no = models.CharField(_("order number"), max_length=40, unique=True)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CREATED
    )
    trade_no = models.CharField(_("platform trade number"), max_length=40, blank=True)
    pay_url = models.URLField(_("pay page"), max_length=300, blank=True)
    paid_amount_fen = models.BigIntegerField(_("amount paid (fen)"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_via = models.CharField(_("payment learnt from"), max_length=20, blank=True)
    refund_no = models.CharField(_("refund number"), max_length=40, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    last_queried_at = models.DateTimeField(_("last asked the platform"), null=True, blank=True)
    flag_reason = models.CharField(_("why flagged"), max_length=200, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "last_queried_at"])]
        constraints = [
            # One live order per application and purpose: paying twice needs two orders.
            models.UniqueConstraint(
                fields=["application", "purpose"],
                condition=models.Q(status__in=["created", "pending", "paid", "flagged"]),
                name="payments_one_live_order",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0), name="payments_amount_gt_0"
            ),
        ]

    def __str__(self) -> str:
        return self.merchant_order_no


class PaymentNotification(models.Model):
    """Every notification that reached the portal, whatever became of it."""

    class Verdict(models.TextChoices):
        RECEIVED = "received", _("Received, not yet handled")
        ACCEPTED = "accepted", _("Payment recorded")
        DUPLICATE = "duplicate", _("Already known")
        FORGED = "forged", _("Signature refused")
        MISMATCH = "mismatch", _("Amount differs from the order")
        UNKNOWN = "unknown", _("No such order")
        LATE = "late", _("Paid after the order was closed: refunded")

    order = models.ForeignKey(
        PaymentOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    body = models.JSONField(_("body"), default=dict)
    verdict = models.CharField(
        _("verdict"), max_length=20, choices=Verdict.choices, default=Verdict.RECEIVED
    )
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M:%S} {self.verdict}"


class Invoice(models.Model):
    """The e-invoice of a paid order: a PDF with the Chinese text, made once."""

    order = models.OneToOneField(PaymentOrder, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(_("invoice number"), max_length=30, unique=True)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("e-invoice")
        verbose_name_plural = _("e-invoices")

    def __str__(self) -> str:
        return self.number


class StatementDifference(models.Model):
    """A line where the platform's daily statement and the portal's orders disagree."""

    class Kind(models.TextChoices):
        MISSING_IN_PORTAL = "missing_in_portal", _("Paid at the platform, unpaid in the portal")
        MISSING_AT_PLATFORM = "missing_at_platform", _("Paid in the portal, not in the statement")
        AMOUNT = "amount", _("Amounts differ")
        REFUND = "refund", _("Refunds differ")

    day = models.DateField(_("statement day"))
    merchant_order_no = models.CharField(_("order number"), max_length=40)
    kind = models.CharField(_("difference"), max_length=30, choices=Kind.choices)
    portal_fen = models.BigIntegerField(_("portal (fen)"), null=True, blank=True)
    platform_fen = models.BigIntegerField(_("platform (fen)"), null=True, blank=True)
    found_at = models.DateTimeField(_("found at"), default=timezone.now)

    class Meta:
        verbose_name = _("statement difference")
        verbose_name_plural = _("statement differences")
        ordering = ["-day", "merchant_order_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "merchant_order_no", "kind"], name="payments_one_difference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.merchant_order_no} {self.kind}"
