"""Reads of the payments app: an application's orders (page and API), what the operators and
supervisors must look at."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import PaymentNotification, PaymentOrder, StatementDifference
from .money import to_yuan


def orders_of(application) -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.filter(application=application).select_related("invoice")


def order_summary(order: PaymentOrder) -> dict:
    """An order as the API shows it: money in fen (integer) and in yuan (exact decimal)."""
    invoice = getattr(order, "invoice", None)
    return {
        "order_no": order.merchant_order_no,
        "purpose": order.purpose,
        "status": order.status,
        "amount_fen": order.amount_fen,
        "amount": str(to_yuan(order.amount_fen)),
        "currency": order.currency,
        "paid_at": order.paid_at,
        "pay_url": order.pay_url if order.status == PaymentOrder.Status.PENDING else "",
        "refunded_at": order.refunded_at,
        "invoice_number": invoice.number if invoice else "",
    }


def payment_summaries(application) -> list[dict]:
    return [order_summary(o) for o in orders_of(application).order_by("created_at", "id")]


def flagged_orders() -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.filter(status=PaymentOrder.Status.FLAGGED).select_related(
        "application"
    )


def statement_differences() -> QuerySet[StatementDifference]:
    return StatementDifference.objects.all()


def forged_notifications() -> QuerySet[PaymentNotification]:
    return PaymentNotification.objects.filter(verdict=PaymentNotification.Verdict.FORGED)
