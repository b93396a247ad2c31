"""The e-invoice of a paid order: a PDF with the Chinese text, made the way the contract is
(`portal.pdf`), once per order, with the SHA-256 of its exact bytes kept."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.pdf import pdf_document

from .models import Invoice, PaymentOrder
from .money import to_yuan

PAID = [PaymentOrder.Status.PAID]


def invoice_lines(order: PaymentOrder, number: str) -> list[str]:
    application = order.application
    amount = to_yuan(order.paid_amount_fen)
    return [
        "电子发票（普通发票）",
        f"发票号码：{number}",
        f"开票日期：{timezone.localtime(order.paid_at).strftime('%Y年%m月%d日')}",
        f"销售方：国网山东省电力公司{application.supply_county.name}供电公司",
        f"购买方：{application.applicant_name}",
        f"购买方纳税人识别号：{application.credit_code or '—'}",
        f"项目：{order.get_purpose_display()}（申请编号 {application.number}）",
        f"金额：人民币 {amount} 元（{order.paid_amount_fen} 分）",
        f"支付平台交易号：{order.trade_no}；商户订单号：{order.merchant_order_no}",
        "本发票由网上国网电子开具，与纸质发票具有同等法律效力。",
    ]


def invoice_issue(*, order_id: int) -> Invoice | None:
    """Made once for a paid order; running twice returns the same invoice."""
    order = PaymentOrder.objects.select_related("application__supply_county").get(pk=order_id)
    existing = Invoice.objects.filter(order=order).first()
    if existing is not None or order.status not in PAID:
        return existing
    number = f"FP{timezone.localdate(order.paid_at):%Y%m%d}{order.pk:08d}"
    now = timezone.now()
    data = pdf_document(
        title=number,
        lines=invoice_lines(order, number),
        at=now,
    )
    try:
        with transaction.atomic():
            return Invoice.objects.create(
                order=order,
                number=number,
                pdf=data,
                sha256=hashlib.sha256(data).hexdigest(),
                issued_at=now,
            )
    except IntegrityError:  # issued by a concurrent run
        return Invoice.objects.get(order=order)
