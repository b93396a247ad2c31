"""Paying what an application owes, exactly once.

The applicant starts a payment (page or API): an order is made at the payment platform and the
applicant is sent to its pay page. The platform's signed notification is recorded as it arrives
and handled through the outbox; the reconciliation job asks the platform about orders still
unpaid, so a lost notification is found within minutes. Whichever comes first records the
payment under the application's and the order's row locks and takes the application's step;
every later word of the same payment finds the order paid and changes nothing. A paid amount
that differs from the order is held for an operator, never accepted. Withdrawal refunds.
"""

from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Kind, State
from applications.services import application_transition
from applications.workflows import ARREARS_PAID, FEE_PAID
from govdata.signing import NonceCache, verify
from portal.errors import DomainError, NotPermitted, WrongState
from portal.models import Role
from portal.outbox import RetryLater, outbox_enqueue, outbox_enqueue_many

from .client import PlatformRefused, PlatformUnavailable, get_client
from .models import PaymentNotification, PaymentOrder, Purpose
from .money import to_fen

logger = logging.getLogger(__name__)
Status = PaymentOrder.Status
Verdict = PaymentNotification.Verdict
LIVE = [Status.CREATED, Status.PENDING]
SETTLED = [Status.PAID, Status.REFUND_PENDING, Status.REFUNDED]
STEP_FOR = {Purpose.SCHEME_FEE: FEE_PAID, Purpose.ARREARS: ARREARS_PAID}


class PaymentUnavailable(DomainError):
    status, title = 503, "Payment platform unavailable"


# --- Who owes what ------------------------------------------------------------------------------


def payment_due(application: Application) -> tuple[str, Decimal] | None:
    """What the application waits to be paid now (purpose, yuan), or None."""
    if application.state == State.PAYMENT_PENDING and application.scheme_fee:
        return Purpose.SCHEME_FEE, application.scheme_fee
    if (
        application.kind == Kind.TRANSFER
        and application.state == State.SETTLEMENT_PENDING
        and application.account_id
        and application.account.arrears > 0
    ):
        return Purpose.ARREARS, application.account.arrears
    return None


def may_pay(user, application: Application) -> bool:
    """Only the applicant pays (named predicate: pages, API and the service)."""
    return getattr(user, "pk", None) == application.applicant_id


def may_see_payments(user, application: Application) -> bool:
    return may_pay(user, application) or getattr(user, "role", "") in {
        Role.SUPERVISOR,
        Role.ENGINEER,
        Role.CLERK,
    }


def _new_order_no(application: Application) -> str:
    return f"P{application.pk:09d}{secrets.token_hex(4).upper()}"


def payment_start(*, application_id: int, actor) -> PaymentOrder:
    """The order for what is due now, made at the platform once (asked again, the same order
    and its pay page come back)."""
    application = Application.objects.select_related("account").get(pk=application_id)
    if not may_pay(actor, application):
        raise NotPermitted(_("Only the applicant pays."), application=application)
    due = payment_due(application)
    if due is None:
        raise WrongState(_("Nothing is waiting to be paid."), application=application)
    purpose, amount = due
    fen = to_fen(amount)
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application_id)
        live = PaymentOrder.objects.filter(
            application=application, purpose=purpose, status__in=LIVE
        ).first()
        if live is not None and live.amount_fen != fen:  # re-quoted since: a new order
            live.status = Status.CLOSED
            live.save(update_fields=["status", "updated_at"])
            _enqueue(HANDLE_CLOSE, live)
            live = None
        order = live or PaymentOrder.objects.create(
            application=application,
            purpose=purpose,
            amount_fen=fen,
            merchant_order_no=_new_order_no(application),
        )
    if order.pay_url:
        return order
    try:
        answer = get_client().create_order(
            merchant_order_no=order.merchant_order_no,
            amount_fen=order.amount_fen,
            currency=order.currency,
            subject=f"{Purpose(purpose).label} {application.number}",
            notify_url=settings.PORTAL_BASE_URL + reverse("payments:notify"),
            return_url=settings.PORTAL_BASE_URL
            + reverse("applications:page", args=[application.pk]),
        )
    except (PlatformUnavailable, PlatformRefused) as error:
        logger.warning("payment order %s not made: %s", order.merchant_order_no, error)
        raise PaymentUnavailable(
            _("The payment platform cannot be reached just now; try again in a minute.")
        ) from error
    PaymentOrder.objects.filter(pk=order.pk, status=Status.CREATED).update(
        status=Status.PENDING, trade_no=answer["trade_no"], pay_url=answer["pay_url"]
    )
    order.refresh_from_db()
    return order


# --- Notifications and queries ------------------------------------------------------------------

HANDLE_NOTIFICATION = "payments.handlers.handle_notification"
HANDLE_QUERY = "payments.handlers.query_order"
HANDLE_REFUND = "payments.handlers.refund_order"
HANDLE_CLOSE = "payments.handlers.close_order"
HANDLE_INVOICE = "payments.handlers.issue_invoice"


def _enqueue(handler: str, order: PaymentOrder) -> None:
    # `order_id`, never `application_id`: a withdrawal must not cancel its own refund.
    outbox_enqueue(handler=handler, payload={"order_id": order.pk})


def notification_receive(*, headers, path: str, body: bytes) -> PaymentNotification:
    """Record what the platform sent; a properly signed one is handled through the outbox, a
    forged one is kept (for the operators) and never acted on."""
    try:
        data = json.loads(body or b"{}")
        data = data if isinstance(data, dict) else {"body": data}
    except ValueError:
        data = {"unreadable": body[:200].decode(errors="replace")}
    keys = {settings.PAYMENT_MERCHANT_ID: settings.PAYMENT_KEY}
    refused = verify(keys, headers, "POST", path, body, NonceCache())
    if refused:
        logger.warning("payment notification refused: %s", refused)
        return PaymentNotification.objects.create(body=data, verdict=Verdict.FORGED, detail=refused)
    with transaction.atomic():
        notification = PaymentNotification.objects.create(body=data)
        outbox_enqueue(handler=HANDLE_NOTIFICATION, payload={"notification_id": notification.pk})
    return notification


def notification_handle(*, notification_id: int) -> str:
    """One recorded notification, handled once (the outbox may run it twice)."""
    with transaction.atomic():
        notification = PaymentNotification.objects.select_for_update().get(pk=notification_id)
        if notification.verdict != Verdict.RECEIVED:
            return notification.verdict
        body = notification.body
        order = PaymentOrder.objects.filter(
            merchant_order_no=str(body.get("merchant_order_no", ""))
        ).first()
        if order is None or body.get("event") != "payment.succeeded":
            verdict, detail = Verdict.UNKNOWN, ""
        else:
            verdict, detail = _record_word(order, body, "amount_fen", via="notification")
        notification.order = order
        notification.verdict, notification.detail = verdict, detail[:200]
        notification.save(update_fields=["order", "verdict", "detail"])
    return verdict


def payment_record(
    *, order_id: int, paid_fen, currency: str, trade_no: str, paid_at, via: str
) -> tuple[str, str]:
    """The platform says this order was paid: record it once. Under the application's row lock
    (taken first, as every step takes it) and then the order's."""
    application_id = PaymentOrder.objects.values_list("application_id", flat=True).get(pk=order_id)
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application_id).first()
        order = PaymentOrder.objects.select_for_update().get(pk=order_id)
        if order.status in SETTLED:
            return Verdict.DUPLICATE, ""
        if order.status == Status.FLAGGED:
            return Verdict.MISMATCH, order.flag_reason
        when = _parse_time(paid_at)
        exact = isinstance(paid_fen, int) and not isinstance(paid_fen, bool)
        if not exact or paid_fen != order.amount_fen or currency != order.currency:
            order.status = Status.FLAGGED
            order.paid_amount_fen = paid_fen if exact else None
            order.paid_at, order.paid_via, order.trade_no = when, via, trade_no or order.trade_no
            order.flag_reason = (
                f"paid {paid_fen} {currency}, order {order.amount_fen} {order.currency}"
            )
            order.save()
            logger.error("payment %s flagged: %s", order.merchant_order_no, order.flag_reason)
            return Verdict.MISMATCH, order.flag_reason
        closed = order.status == Status.CLOSED
        order.status = Status.PAID
        order.paid_amount_fen, order.paid_at, order.paid_via = paid_fen, when, via
        order.trade_no = trade_no or order.trade_no
        order.save()
        if closed or not _take_step(order):
            # Paid after the application stopped waiting (withdrawn, settled at the counter):
            # the money goes back.
            _refund_start(order)
            return Verdict.LATE, "refunded"
        _enqueue(HANDLE_INVOICE, order)
    return Verdict.ACCEPTED, ""


def _record_word(order: PaymentOrder, word: dict, amount_key: str, *, via: str) -> tuple:
    """The platform's word (a notification, or the answer to a query) that it was paid."""
    return payment_record(
        order_id=order.pk,
        paid_fen=word.get(amount_key),
        currency=word.get("currency", ""),
        trade_no=word.get("trade_no", ""),
        paid_at=word.get("paid_at"),
        via=via,
    )


def _take_step(order: PaymentOrder) -> bool:
    step = STEP_FOR[order.purpose]
    try:
        with transaction.atomic():
            application_transition(
                application_id=order.application_id,
                name=step.name,
                payload={"payment_reference": order.trade_no},
                comment=order.merchant_order_no,
            )
    except (WrongState, DomainError) as refusal:
        logger.warning("paid order %s cannot move its application: %s", order, refusal)
        return False
    return True


def _parse_time(value) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return timezone.now()


def order_query(*, order_id: int) -> str:
    """Ask the platform about an order the portal still thinks unpaid."""
    order = PaymentOrder.objects.get(pk=order_id)
    if order.status not in LIVE:
        return order.status
    try:
        answer = get_client().query_order(order.merchant_order_no)
    except PlatformUnavailable as error:
        raise RetryLater(str(error)) from error
    except PlatformRefused as error:
        if error.status == 404:  # the order was never made there (create call lost)
            return order.status
        raise
    if answer.get("status") in {"SUCCESS", "REFUND"}:
        return _record_word(order, answer, "paid_amount_fen", via="query")[0]
    return order.status


def payments_reconcile(*, now: datetime | None = None) -> int:
    """The periodic job: one query per order unpaid for longer than PAYMENT_QUERY_AFTER (and
    not asked about for as long), fanned out through the outbox."""
    now = now or timezone.now()
    cutoff = now - settings.PAYMENT_QUERY_AFTER
    with transaction.atomic():
        due = list(
            PaymentOrder.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, created_at__lte=cutoff)
            .filter(Q(last_queried_at__isnull=True) | Q(last_queried_at__lte=cutoff))
            .values_list("pk", flat=True)[:1000]
        )
        if due:
            PaymentOrder.objects.filter(pk__in=due).update(last_queried_at=now)
            outbox_enqueue_many(handler=HANDLE_QUERY, payloads=[{"order_id": pk} for pk in due])
    return len(due)


# --- Refunds and closing ------------------------------------------------------------------------


def _refund_start(order: PaymentOrder) -> None:
    order.status = Status.REFUND_PENDING
    order.refund_no = order.refund_no or f"R{order.merchant_order_no}"
    order.save(update_fields=["status", "refund_no", "updated_at"])
    _enqueue(HANDLE_REFUND, order)


def payments_withdrawn(*, application_id: int) -> None:
    """In the withdrawal's transaction: an unpaid order is closed (a payment arriving later is
    refunded), a paid one refunded."""
    for order in PaymentOrder.objects.select_for_update().filter(application_id=application_id):
        if order.status in LIVE:
            order.status = Status.CLOSED
            order.save(update_fields=["status", "updated_at"])
            _enqueue(HANDLE_CLOSE, order)
        elif order.status == Status.PAID:
            _refund_start(order)


def order_refund(*, order_id: int) -> str:
    order = PaymentOrder.objects.get(pk=order_id)
    if order.status != Status.REFUND_PENDING:
        return order.status
    try:
        get_client().refund(
            merchant_order_no=order.merchant_order_no,
            refund_no=order.refund_no,
            amount_fen=order.paid_amount_fen,
        )
    except PlatformUnavailable as error:
        raise RetryLater(str(error)) from error
    PaymentOrder.objects.filter(pk=order.pk, status=Status.REFUND_PENDING).update(
        status=Status.REFUNDED, refunded_at=timezone.now()
    )
    return Status.REFUNDED


def order_close(*, order_id: int) -> None:
    """Tell the platform to take no payment for a closed order (one already paid there is
    found by the query and refunded)."""
    order = PaymentOrder.objects.get(pk=order_id)
    try:
        answer = get_client().close_order(order.merchant_order_no)
    except PlatformUnavailable as error:
        raise RetryLater(str(error)) from error
    except PlatformRefused as error:
        if error.status == 404:
            return
        raise
    if answer.get("status") in {"SUCCESS", "REFUND"}:
        _record_word(order, answer, "paid_amount_fen", via="query")
