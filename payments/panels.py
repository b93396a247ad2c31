"""The payment panel on an application's page and the `payments` section of its API detail
(registered with `applications.extensions` from `PaymentsConfig.ready`)."""

from __future__ import annotations

from applications.extensions import Panel

from .money import to_yuan
from .selectors import orders_of
from .services import may_pay, may_see_payments, payment_due


def payment_panel_context(application, user, bound: dict) -> dict:
    if not may_see_payments(user, application):
        return {"visible": False}
    due = payment_due(application)
    return {
        "visible": bool(due) or orders_of(application).exists(),
        "application": application,
        "due": to_yuan_due(due),
        "may_pay": bool(due) and may_pay(user, application),
        "orders": list(orders_of(application).order_by("-created_at")),
    }


def to_yuan_due(due) -> dict | None:
    if due is None:
        return None
    purpose, amount = due
    return {"purpose": purpose, "amount": amount}


PAYMENT_PANEL = Panel("payments/panel.html", payment_panel_context)
__all__ = ["PAYMENT_PANEL", "payment_panel_context", "to_yuan"]
