"""Outbox handlers of the payments app: each takes ids, reloads its rows and does nothing when
the work is already done (the outbox may run a message twice)."""

from .invoice import invoice_issue
from .services import notification_handle, order_close, order_query, order_refund


def handle_notification(*, notification_id: int) -> None:
    notification_handle(notification_id=notification_id)


def query_order(*, order_id: int) -> None:
    order_query(order_id=order_id)


def refund_order(*, order_id: int) -> None:
    order_refund(order_id=order_id)


def close_order(*, order_id: int) -> None:
    order_close(order_id=order_id)


def issue_invoice(*, order_id: int) -> None:
    invoice_issue(order_id=order_id)
