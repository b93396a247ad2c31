"""The daily statement: the platform's file of every payment and refund of a day (Beijing
time), compared line by line with the portal's orders; each difference is kept for the
supervisors (replacing what an earlier run of the same day found)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from portal.outbox import RetryLater

from .client import PlatformUnavailable, get_client
from .models import PaymentOrder, StatementDifference

Kind = StatementDifference.Kind
Status = PaymentOrder.Status
PAID_IN_PORTAL = [Status.PAID, Status.REFUND_PENDING, Status.REFUNDED, Status.FLAGGED]


def statement_compare(day: date, text: str) -> list[StatementDifference]:
    paid: dict[str, int] = {}
    refunded: dict[str, int] = defaultdict(int)
    for row in csv.DictReader(io.StringIO(text)):
        if row["type"] == "PAY":
            paid[row["merchant_order_no"]] = int(row["amount_fen"])
        elif row["type"] == "REFUND":
            refunded[row["merchant_order_no"]] += int(row["amount_fen"])
    paid_that_day = {
        o.merchant_order_no: o
        for o in PaymentOrder.objects.filter(status__in=PAID_IN_PORTAL, paid_at__date=day)
    }
    named = {
        o.merchant_order_no: o
        for o in PaymentOrder.objects.filter(merchant_order_no__in=[*paid, *refunded])
    }
    differences = []

    def differ(number: str, kind: str, portal, platform) -> None:
        differences.append(
            StatementDifference(
                day=day,
                merchant_order_no=number,
                kind=kind,
                portal_fen=portal,
                platform_fen=platform,
            )
        )

    for number, fen in paid.items():
        order = named.get(number)
        if order is None or order.status not in PAID_IN_PORTAL:
            differ(number, Kind.MISSING_IN_PORTAL, None, fen)
        elif order.status == Status.FLAGGED or order.amount_fen != fen:
            differ(number, Kind.AMOUNT, order.amount_fen, fen)
    for number, order in paid_that_day.items():
        if number not in paid:
            differ(number, Kind.MISSING_AT_PLATFORM, order.paid_amount_fen, None)
    for number, fen in refunded.items():
        order = named.get(number)
        mine = order.paid_amount_fen if order and order.status == Status.REFUNDED else 0
        if mine != fen:
            differ(number, Kind.REFUND, mine, fen)
    return differences


def statement_reconcile(*, day: date | None = None) -> int:
    """Fetch and compare one day's statement (yesterday by default); the number of
    differences."""
    day = day or timezone.localdate() - timedelta(days=1)
    try:
        text = get_client().statement(day.isoformat())
    except PlatformUnavailable as error:
        raise RetryLater(str(error)) from error
    differences = statement_compare(day, text)
    with transaction.atomic():
        StatementDifference.objects.filter(day=day).delete()
        StatementDifference.objects.bulk_create(differences)
    return len(differences)
