"""Paying a due fee: the order at the (real, mock) payment platform, the signed notification
handled once whatever arrives twice, late or forged, a lost notification found by the query,
an amount that differs held for an operator, the invoice, refunds, the daily statement."""

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from applications.models import Application, ArrearsSettlement, SettlementMethod, TimelineEntry
from applications.workflows import ARREARS_PAID, FEE_PAID
from govdata.signing import signed_headers
from payments.models import Invoice, PaymentNotification, PaymentOrder, StatementDifference
from payments.money import to_fen, to_yuan
from payments.services import payment_start, payments_reconcile
from payments.statement import statement_reconcile
from tests.factories import new_application
from tests.workflow import drive, to_settlement

pytestmark = pytest.mark.django_db
Status = PaymentOrder.Status
NOTIFY = "/payments/notify/"


def notify(client, body: dict, key: str | None = None):
    data = json.dumps(body).encode()
    headers = signed_headers(
        settings.PAYMENT_MERCHANT_ID, key or settings.PAYMENT_KEY, "POST", NOTIFY, data
    )
    return client.post(NOTIFY, data, content_type="application/json", headers=headers)


def paid_body(order: PaymentOrder, amount_fen: int | None = None) -> dict:
    return {
        "event": "payment.succeeded",
        "trade_no": order.trade_no or "T1",
        "merchant_order_no": order.merchant_order_no,
        "amount_fen": order.amount_fen if amount_fen is None else amount_fen,
        "currency": "CNY",
        "paid_at": "2026-11-28T09:00:00+00:00",
    }


# --- money --------------------------------------------------------------------------------------


def test_money_is_exact_where_floats_are_not():
    assert int(float("19.99") * 100) == 1998  # what a float does
    assert to_fen(Decimal("19.99")) == 1999
    assert 0.1 + 0.2 != 0.3
    assert to_fen(Decimal("0.1") + Decimal("0.2")) == 30
    assert sum(to_fen(Decimal("0.10")) for _ in range(10)) == to_fen(Decimal("1.00"))
    assert to_yuan(1234567891) == Decimal("12345678.91")
    with pytest.raises(TypeError):
        to_fen(0.1)
    with pytest.raises(ValueError, match="fractions"):
        to_fen(Decimal("0.005"))


def test_the_api_states_the_order_in_exact_fen_and_yuan(
    api, waiting, enterprise_applicant, payment_platform
):
    # Two items of 0.1 and 0.2 yuan per unit: floats would make 0.30000000000000004.
    waiting.scheme_fee = Decimal("0.10") + Decimal("0.20") + Decimal("19.99")
    waiting.save(update_fields=["scheme_fee"])
    answer = api(enterprise_applicant).post(f"/api/v1/applications/{waiting.pk}/payments/")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["amount_fen"] == 2029 and body["amount"] == "20.29"
    assert body["pay_url"].startswith(payment_platform.url + "/pay/")
    assert PaymentOrder.objects.get().amount_fen == 2029


# --- starting a payment --------------------------------------------------------------------------


def test_paying_twice_gives_the_same_order_and_pay_page(
    waiting, enterprise_applicant, payment_platform
):
    first = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    again = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    assert first.pk == again.pk and first.pay_url == again.pay_url
    assert first.amount_fen == 6_300_000 and first.status == Status.PENDING


def test_only_the_applicant_pays_and_only_what_is_due(
    api, waiting, engineer, outsider, applicant, enterprise_applicant, payment_platform
):
    url = f"/api/v1/applications/{waiting.pk}/payments/"
    assert api(engineer).post(url).status_code == 403
    assert api(outsider).post(url).status_code == 404
    assert api(applicant).post(url).status_code == 404
    assert api().post(url).status_code in (401, 403)
    other = new_application(applicant)  # a draft owes nothing
    assert api(applicant).post(f"/api/v1/applications/{other.pk}/payments/").status_code == 409
    assert not PaymentOrder.objects.exists()


def test_an_unreachable_platform_is_a_503_and_no_order_is_lost(
    api, waiting, enterprise_applicant, settings
):
    settings.PAYMENT_BASE_URL = "http://127.0.0.1:9"
    from payments.client import reset_client

    reset_client()
    answer = api(enterprise_applicant).post(f"/api/v1/applications/{waiting.pk}/payments/")
    reset_client()
    assert answer.status_code == 503
    assert PaymentOrder.objects.get().status == Status.CREATED


def test_the_page_pays_through_the_platforms_pay_page(
    client, waiting, enterprise_applicant, payment_platform
):
    client.force_login(enterprise_applicant)
    page = client.get(reverse("applications:page", args=[waiting.pk])).content.decode()
    assert 'id="pay-now"' in page and "63000.00" in page
    answer = client.post(reverse("payments:pay", args=[waiting.pk]))
    assert answer.status_code == 302 and answer.url.startswith(payment_platform.url + "/pay/")


def test_the_pay_page_has_a_qr_code_for_a_phone(waiting, enterprise_applicant, payment_platform):
    import httpx

    order = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    page = httpx.get(order.pay_url).text
    assert 'name="viewport"' in page and "<svg" in page and "63000.00" in page


# --- notifications -----------------------------------------------------------------------------


def test_a_notification_twice_pays_once_and_moves_the_application_once(
    client, waiting, enterprise_applicant, payment_platform, django_capture_on_commit_callbacks
):
    order = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(client, paid_body(order)).content == b"success"
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(client, paid_body(order)).status_code == 200
    order.refresh_from_db()
    waiting.refresh_from_db()
    assert order.status == Status.PAID and order.paid_amount_fen == 6_300_000
    assert waiting.state == "contract_pending"
    assert TimelineEntry.objects.filter(application=waiting, transition=FEE_PAID.name).count() == 1
    verdicts = sorted(PaymentNotification.objects.values_list("verdict", flat=True))
    assert verdicts == ["accepted", "duplicate"]
    invoice = Invoice.objects.get(order=order)
    assert invoice.pdf[:4] == b"%PDF"


def test_a_forged_notification_is_refused_and_kept(
    client, waiting, enterprise_applicant, payment_platform, django_capture_on_commit_callbacks
):
    order = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        answer = notify(client, paid_body(order), key="not-the-platforms-key")
        unsigned = client.post(
            NOTIFY, json.dumps(paid_body(order)), content_type="application/json"
        )
    assert answer.status_code == 401 and unsigned.status_code == 401
    order.refresh_from_db()
    assert order.status == Status.PENDING
    assert PaymentNotification.objects.filter(verdict="forged").count() == 2


def test_an_amount_that_differs_is_flagged_never_accepted(
    client, waiting, enterprise_applicant, supervisor, payment_platform,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    order = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        notify(client, paid_body(order, amount_fen=1))
        notify(client, paid_body(order))  # the right amount later changes nothing
    order.refresh_from_db()
    waiting.refresh_from_db()
    assert order.status == Status.FLAGGED and "paid 1 CNY" in order.flag_reason
    assert waiting.state == "payment_pending"
    assert not Invoice.objects.exists()
    client.force_login(supervisor)
    page = client.get(reverse("payments:reconciliation")).content.decode()
    assert order.merchant_order_no in page


def test_a_notification_for_no_order_is_recorded_as_unknown(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        body = {"event": "payment.succeeded", "merchant_order_no": "nope", "amount_fen": 1}
        assert notify(client, body).status_code == 200
    assert PaymentNotification.objects.get().verdict == "unknown"


def test_a_lost_notification_is_found_by_the_reconciliation(
    waiting, enterprise_applicant, payment_platform, django_capture_on_commit_callbacks
):
    order = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    assert payment_platform.control(f"pay/{order.trade_no}", {"copies": 0})["paid"]
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_reconcile() == 0  # too young to ask about yet
    later = order.created_at + settings.PAYMENT_QUERY_AFTER
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_reconcile(now=later) == 1
    order.refresh_from_db()
    assert order.status == Status.PAID and order.paid_via == "query"
    waiting.refresh_from_db()
    assert waiting.state == "contract_pending"
    assert Invoice.objects.filter(order=order).exists()


# --- refunds -----------------------------------------------------------------------------------


def test_withdrawal_after_payment_refunds(
    client, waiting, enterprise_applicant, payment_platform, django_capture_on_commit_callbacks
):
    order = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    payment_platform.control(f"pay/{order.trade_no}", {"copies": 0})
    with django_capture_on_commit_callbacks(execute=True):
        notify(client, paid_body(order))
    with django_capture_on_commit_callbacks(execute=True):
        drive(waiting, [("withdraw", "applicant", {})], {"applicant": enterprise_applicant})
    order.refresh_from_db()
    assert order.status == Status.REFUNDED and order.refunded_at is not None
    from payments.client import get_client

    assert get_client().query_order(order.merchant_order_no)["status"] == "REFUND"


def test_a_payment_after_withdrawal_is_refunded(
    client, waiting, enterprise_applicant, payment_platform, django_capture_on_commit_callbacks
):
    order = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        drive(waiting, [("withdraw", "applicant", {})], {"applicant": enterprise_applicant})
    order.refresh_from_db()
    assert order.status == Status.CLOSED
    # Paid on the phone before the close reached the platform: the late word refunds it.
    with django_capture_on_commit_callbacks(execute=True):
        notify(client, paid_body(order))
    order.refresh_from_db()
    assert PaymentNotification.objects.get().verdict == "late"
    assert order.status in {Status.REFUND_PENDING, Status.REFUNDED}


# --- arrears of a transfer ---------------------------------------------------------------------


def test_a_transfers_arrears_paid_online_settle_them(
    api, client, applicant, held_account, gov_platform, engineer, holder, payment_platform,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    pk = to_settlement(
        api, applicant, holder, held_account, engineer, django_capture_on_commit_callbacks
    )
    application = Application.objects.get(pk=pk)
    order = payment_start(application_id=application.pk, actor=applicant)
    assert order.amount_fen == 12050  # ¥120.50
    with django_capture_on_commit_callbacks(execute=True):
        notify(client, paid_body(order))
    application.refresh_from_db()
    assert application.state == "contract_pending"
    settlement = ArrearsSettlement.objects.get(application=application)
    assert settlement.method == SettlementMethod.ONLINE and settlement.amount == Decimal("120.50")
    assert settlement.reference == order.trade_no
    assert TimelineEntry.objects.filter(transition=ARREARS_PAID.name).count() == 1


# --- the daily statement -----------------------------------------------------------------------


def test_the_daily_statement_lists_what_differs(
    client, waiting, enterprise_applicant, supervisor, engineer, payment_platform,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from django.utils import timezone

    order = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    payment_platform.control(f"pay/{order.trade_no}", {"copies": 0, "amount_fen": 6_299_999})
    # (The platform runs for the whole session: its statement holds other tests' payments.)
    mine = StatementDifference.objects.filter(merchant_order_no=order.merchant_order_no)
    with django_capture_on_commit_callbacks(execute=True):
        assert statement_reconcile(day=timezone.localdate()) >= 1
    difference = mine.get()
    assert difference.kind == "missing_in_portal" and difference.platform_fen == 6_299_999
    later = order.created_at + settings.PAYMENT_QUERY_AFTER
    with django_capture_on_commit_callbacks(execute=True):
        payments_reconcile(now=later)  # the query finds it paid, with the wrong amount
    statement_reconcile(day=timezone.localdate())
    order.refresh_from_db()
    assert order.status == Status.FLAGGED
    assert list(mine.values_list("kind", "portal_fen", "platform_fen")) == [
        ("amount", 6_300_000, 6_299_999)
    ]
    client.force_login(supervisor)
    assert (
        order.merchant_order_no in client.get(reverse("payments:reconciliation")).content.decode()
    )
    client.force_login(engineer)
    assert client.get(reverse("payments:reconciliation")).status_code == 403


def test_the_invoice_is_the_applicants_to_download(
    client, waiting, enterprise_applicant, outsider, payment_platform,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    order = payment_start(application_id=waiting.pk, actor=enterprise_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        notify(client, paid_body(order))
    invoice = Invoice.objects.get()
    url = reverse("payments:invoice", args=[waiting.pk, invoice.number])
    client.force_login(enterprise_applicant)
    page = client.get(reverse("applications:page", args=[waiting.pk])).content.decode()
    assert url in page
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
