"""The mocked online payment platform, run as its own HTTP service (like `govdata.mock`).

    python -m payments.mock --port 8002

The portal reaches it only through `payments.client`. Merchant calls are signed with the
merchant's key (`govdata.signing`: HMAC over method, path, timestamp, nonce and body) and every
answer to them is signed back:

- `POST /orders` {merchant_order_no, amount_fen, currency, subject, notify_url, return_url}:
  an order (the same merchant order number answers the same order; another amount is refused);
- `GET /orders/<merchant_order_no>`: the order as the platform knows it (the query API);
- `POST /orders/<merchant_order_no>/close`: no payment accepted any more;
- `POST /refunds` {merchant_order_no, refund_no, amount_fen}: refunded at once (idempotent);
- `GET /statements/<YYYY-MM-DD>`: the day's statement file (CSV, Beijing time), every payment
  and refund with its amount in fen.

People: `GET /pay/<trade_no>` is the pay page (QR code for a phone, a button that pays);
`POST /pay/<trade_no>` pays. Then the platform tells the merchant asynchronously: a signed
`POST` of the payment to the order's `notify_url`, retried until the merchant answers 2xx.

Fault injection: PAYMENT_MOCK_FAULTS as JSON, or `PUT /_control/faults` (loopback only):
`latency_ms`, `error_rate` (503 to merchant calls), `notify_drop_rate` (a payment's notification
never sent), `notify_copies` (each sent this many times), `notify_delay_ms`, `signature`
("forged": notifications and answers signed with a wrong key). Drills also use
`POST /_control/pay/<trade_no>` {amount_fen, copies, hold} (pay as a customer would, the paid
amount overridden, the notifications held) and `POST /_control/release` (send every held
notification, shuffled, from many threads).
"""

from __future__ import annotations

import html
import json
import logging
import os
import random
import secrets
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler

import segno

from govdata.mockhttp import post_signed, serve
from govdata.signing import HEADER_CONSUMER, HEADER_NONCE, NonceCache, response_headers, verify

logger = logging.getLogger("payments.mock")
DEV_MERCHANT = "power-portal"
DEV_KEY = "dev-only-payment-key"  # noqa: S105 - the development default the portal uses too
FORGED_KEY = "not-the-platforms-key"  # noqa: S105 - what a forger signs with
BEIJING = timezone(timedelta(hours=8))
RETRY_SECONDS = (1, 2, 5, 15, 30, 60)


class Order:
    def __init__(self, trade_no: str, body: dict) -> None:
        self.trade_no = trade_no
        self.merchant_order_no = str(body["merchant_order_no"])
        self.amount_fen = int(body["amount_fen"])
        self.currency = str(body.get("currency") or "CNY")
        self.subject = str(body.get("subject") or "")
        self.notify_url = str(body.get("notify_url") or "")
        self.return_url = str(body.get("return_url") or "")
        self.merchant = ""
        self.status = "NOTPAY"  # NOTPAY -> SUCCESS -> REFUND; NOTPAY -> CLOSED
        self.paid_amount_fen: int | None = None
        self.paid_at: datetime | None = None
        self.refunds: dict[str, dict] = {}

    def as_dict(self) -> dict:
        return {
            "trade_no": self.trade_no,
            "merchant_order_no": self.merchant_order_no,
            "status": self.status,
            "amount_fen": self.amount_fen,
            "currency": self.currency,
            "paid_amount_fen": self.paid_amount_fen,
            "paid_at": self.paid_at.isoformat() if self.paid_at else None,
            "refunds": list(self.refunds.values()),
        }


class Platform:
    def __init__(self, keys: dict[str, str], faults: dict) -> None:
        self.keys = keys
        self.faults = faults
        self.nonces = NonceCache()
        self.orders: dict[str, Order] = {}  # by trade_no
        self.by_merchant_no: dict[tuple[str, str], Order] = {}
        self.held: list[tuple[Order, dict]] = []
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.random = random.Random()

    def notification(self, order: Order) -> dict:
        return {
            "event": "payment.succeeded",
            "notify_id": secrets.token_hex(8),
            "trade_no": order.trade_no,
            "merchant_order_no": order.merchant_order_no,
            "amount_fen": order.paid_amount_fen,
            "currency": order.currency,
            "paid_at": order.paid_at.isoformat() if order.paid_at else None,
        }

    def pay(self, order: Order, *, amount_fen: int | None = None, copies=None, hold=False) -> bool:
        """The customer pays; False when the order no longer takes payment."""
        with self.lock:
            if order.status != "NOTPAY":
                return order.status == "SUCCESS"
            order.status = "SUCCESS"
            order.paid_amount_fen = order.amount_fen if amount_fen is None else int(amount_fen)
            order.paid_at = datetime.now(UTC)
            faults = dict(self.faults)
            dropped = self.random.random() < faults.get("notify_drop_rate", 0)
            self.calls["paid"] += 1
        if copies is None:
            copies = 0 if dropped else int(faults.get("notify_copies", 1))
        body = self.notification(order)
        for _ in range(int(copies)):
            if hold:
                with self.lock:
                    self.held.append((order, body))
            else:
                self.send_later(order, body)
        return True

    def send_later(self, order: Order, body: dict) -> None:
        threading.Thread(target=self._deliver, args=(order, body), daemon=True).start()

    def release(self) -> int:
        with self.lock:
            held, self.held = self.held, []
        self.random.shuffle(held)
        for order, body in held:
            self.send_later(order, body)
        return len(held)

    def _deliver(self, order: Order, body: dict) -> None:
        """POST the signed notification until the merchant acknowledges it (2xx)."""
        with self.lock:
            faults = dict(self.faults)
        if faults.get("notify_delay_ms"):
            time.sleep(self.random.random() * faults["notify_delay_ms"] / 1000)
        data = json.dumps(body, ensure_ascii=False).encode()
        key = FORGED_KEY if faults.get("signature") == "forged" else self.keys[order.merchant]
        delivered = post_signed(
            order.notify_url, caller=order.merchant, key=key, body=data, waits=(0, *RETRY_SECONDS)
        )
        with self.lock:
            self.calls["notified" if delivered else "notify_given_up"] += 1

    def statement(self, day: str) -> str:
        rows = ["trade_no,merchant_order_no,type,amount_fen,currency,time"]
        with self.lock:
            orders = list(self.orders.values())
        for order in orders:
            if order.paid_at and order.paid_at.astimezone(BEIJING).date().isoformat() == day:
                rows.append(
                    f"{order.trade_no},{order.merchant_order_no},PAY,{order.paid_amount_fen},"
                    f"{order.currency},{order.paid_at.isoformat()}"
                )
            for refund in order.refunds.values():
                if refund["at"][:10] == day:
                    rows.append(
                        f"{order.trade_no},{order.merchant_order_no},REFUND,"
                        f"{refund['amount_fen']},{order.currency},{refund['at']}"
                    )
        return "\n".join(rows) + "\n"


PAY_PAGE = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>
body{{font-family:sans-serif;margin:0;padding:16px;max-width:480px;margin:auto}}
.qr svg{{width:100%;max-width:240px;height:auto;display:block;margin:12px auto}}
.amount{{font-size:2rem;text-align:center;margin:8px 0}}
button,a.button{{display:block;width:100%;box-sizing:border-box;padding:14px;font-size:1.1rem;
text-align:center;background:#07c160;color:#fff;border:0;border-radius:6px;text-decoration:none}}
</style></head><body><h1>{title}</h1>{content}</body></html>"""


def yuan(fen: int | None) -> str:
    fen = fen or 0
    return f"{fen // 100}.{fen % 100:02d}"


class Handler(BaseHTTPRequestHandler):
    server_version = "PaymentMock/1.0"
    protocol_version = "HTTP/1.1"

    @property
    def platform(self) -> Platform:
        return self.server.platform  # type: ignore[attr-defined]

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        key = self.platform.keys.get(self.headers.get(HEADER_CONSUMER, ""))
        if key and self.platform.faults.get("signature") == "forged":
            key = FORGED_KEY
        if key:
            nonce = self.headers.get(HEADER_NONCE, "")
            for name, value in response_headers(key, status, nonce, data).items():
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, body: dict) -> None:
        self._send(status, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    def _html(self, status: int, title: str, content: str) -> None:
        page = PAY_PAGE.format(title=html.escape(title), content=content)
        self._send(status, page.encode(), "text/html; charset=utf-8")

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _loopback(self) -> bool:
        return self.client_address[0] in {"127.0.0.1", "::1"}

    def _merchant(self, method: str, body: bytes) -> str | None:
        """The calling merchant, or None once refused (signature, injected outage)."""
        refused = verify(
            self.platform.keys, self.headers, method, self.path, body, self.platform.nonces
        )
        if refused:
            self._json(401, {"error": refused})
            return None
        with self.platform.lock:
            self.platform.calls[f"{method} {self.path.split('/')[1]}"] += 1
            faults = dict(self.platform.faults)
            roll = self.platform.random.random()
        if faults.get("latency_ms"):
            time.sleep(faults["latency_ms"] / 1000)
        if roll < faults.get("error_rate", 0):
            self._json(503, {"error": "system_busy"})
            return None
        return self.headers[HEADER_CONSUMER]

    def _own_order(self, merchant: str, merchant_order_no: str) -> Order | None:
        order = self.platform.by_merchant_no.get((merchant, merchant_order_no))
        if order is None:
            self._json(404, {"error": "order_not_found"})
        return order

    # --- merchant API ----------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = self.path.strip("/").split("/")
        if self.path == "/healthz":
            self._json(200, {"status": "ok"})
        elif self.path == "/_control/stats" and self._loopback():
            with self.platform.lock:
                self._json(
                    200, {"calls": dict(self.platform.calls), "held": len(self.platform.held)}
                )
        elif parts[0] == "pay" and len(parts) == 2:
            self._pay_page(parts[1])
        elif parts[0] == "orders" and len(parts) == 2:
            merchant = self._merchant("GET", b"")
            if merchant and (order := self._own_order(merchant, parts[1])):
                self._json(200, order.as_dict())
        elif parts[0] == "statements" and len(parts) == 2:
            merchant = self._merchant("GET", b"")
            if merchant:
                self._send(200, self.platform.statement(parts[1]).encode(), "text/csv")
        else:
            self._json(404, {"error": "not_found"})

    def do_PUT(self) -> None:  # noqa: N802
        if self.path == "/_control/faults" and self._loopback():
            with self.platform.lock:
                self.platform.faults = json.loads(self._body() or b"{}")
            self._json(200, {"faults": self.platform.faults})
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        parts = self.path.strip("/").split("/")
        if parts[0] == "_control" and self._loopback():
            self._control(parts, body)
        elif parts[0] == "pay" and len(parts) == 2:
            self._pay(parts[1])
        elif self.path == "/orders":
            if merchant := self._merchant("POST", body):
                self._create(merchant, body)
        elif parts[0] == "orders" and parts[-1] == "close" and len(parts) == 3:
            if (merchant := self._merchant("POST", body)) and (
                order := self._own_order(merchant, parts[1])
            ):
                with self.platform.lock:
                    if order.status == "NOTPAY":
                        order.status = "CLOSED"
                self._json(200, order.as_dict())
        elif self.path == "/refunds":
            if merchant := self._merchant("POST", body):
                self._refund(merchant, body)
        else:
            self._json(404, {"error": "not_found"})

    def _create(self, merchant: str, body: bytes) -> None:
        try:
            data = json.loads(body)
            amount = int(data["amount_fen"])
            if amount <= 0 or isinstance(data["amount_fen"], float):
                raise ValueError("amount_fen must be a positive integer")
            key = (merchant, str(data["merchant_order_no"]))
        except (KeyError, ValueError, TypeError) as exc:
            self._json(400, {"error": "bad_request", "detail": str(exc)})
            return
        with self.platform.lock:
            order = self.platform.by_merchant_no.get(key)
            if order is not None and order.amount_fen != amount:
                self._json(409, {"error": "order_exists_with_another_amount"})
                return
            if order is None:
                order = Order("T" + secrets.token_hex(10).upper(), data)
                order.merchant = merchant
                self.platform.orders[order.trade_no] = order
                self.platform.by_merchant_no[key] = order
        host = self.headers.get("Host", "127.0.0.1")
        self._json(200, {**order.as_dict(), "pay_url": f"http://{host}/pay/{order.trade_no}"})

    def _refund(self, merchant: str, body: bytes) -> None:
        try:
            data = json.loads(body)
            refund_no, amount = str(data["refund_no"]), int(data["amount_fen"])
        except (KeyError, ValueError, TypeError) as exc:
            self._json(400, {"error": "bad_request", "detail": str(exc)})
            return
        order = self._own_order(merchant, str(data.get("merchant_order_no")))
        if order is None:
            return
        with self.platform.lock:
            if refund_no not in order.refunds:
                refunded = sum(r["amount_fen"] for r in order.refunds.values())
                if order.status not in {"SUCCESS", "REFUND"} or refunded + amount > (
                    order.paid_amount_fen or 0
                ):
                    self._json(409, {"error": "refund_exceeds_payment", **order.as_dict()})
                    return
                now = datetime.now(BEIJING).isoformat()
                order.refunds[refund_no] = {"refund_no": refund_no, "amount_fen": amount, "at": now}
                order.status = "REFUND"
        self._json(200, {"refund_status": "SUCCESS", **order.as_dict()})

    # --- people and drills -----------------------------------------------------------------

    def _pay_page(self, trade_no: str) -> None:
        order = self.platform.orders.get(trade_no)
        if order is None:
            self._html(404, "订单不存在 Order not found", "")
            return
        host = self.headers.get("Host", "127.0.0.1")
        if order.status == "NOTPAY":
            qr = segno.make(f"http://{host}/pay/{trade_no}", error="m").svg_inline(scale=4)
            content = (
                f"<p>{html.escape(order.subject)}</p>"
                f'<p class="amount" id="amount">¥{yuan(order.amount_fen)}</p>'
                f'<div class="qr" aria-label="QR">{qr}</div>'
                "<p>用手机扫码支付，或在本机点击下方按钮。Scan with your phone, or pay here.</p>"
                f'<form method="post" action="/pay/{trade_no}"><button id="pay" type="submit">'
                f"确认支付 Pay ¥{yuan(order.amount_fen)}</button></form>"
            )
            self._html(200, "收银台 Checkout", content)
        else:
            self._paid_page(order)

    def _paid_page(self, order: Order) -> None:
        back = (
            f'<a class="button" id="back" href="{html.escape(order.return_url)}">'
            "返回商户 Back to the merchant</a>"
            if order.return_url
            else ""
        )
        words = {"SUCCESS": "支付成功 Paid", "REFUND": "已退款 Refunded", "CLOSED": "已关闭 Closed"}
        self._html(
            200,
            words.get(order.status, order.status),
            f'<p class="amount" id="status">{words.get(order.status, order.status)} '
            f"¥{yuan(order.paid_amount_fen or order.amount_fen)}</p>{back}",
        )

    def _pay(self, trade_no: str) -> None:
        order = self.platform.orders.get(trade_no)
        if order is None:
            self._html(404, "订单不存在 Order not found", "")
            return
        self.platform.pay(order)
        self._paid_page(order)

    def _control(self, parts: list[str], body: bytes) -> None:
        data = json.loads(body or b"{}")
        if parts[1:2] == ["pay"] and len(parts) == 3 and parts[2] in self.platform.orders:
            paid = self.platform.pay(
                self.platform.orders[parts[2]],
                amount_fen=data.get("amount_fen"),
                copies=data.get("copies"),
                hold=bool(data.get("hold")),
            )
            self._json(200 if paid else 409, {"paid": paid})
        elif parts[1:] == ["release"]:
            self._json(200, {"released": self.platform.release()})
        else:
            self._json(404, {"error": "not_found"})

    def log_message(self, fmt: str, *args) -> None:
        logger.debug("%s %s", self.address_string(), fmt % args)


def platform_from_env() -> Platform:
    keys = json.loads(os.environ.get("PAYMENT_MOCK_MERCHANTS") or "{}") or {
        os.environ.get("PAYMENT_MERCHANT_ID", DEV_MERCHANT): os.environ.get("PAYMENT_KEY")
        or DEV_KEY
    }
    return Platform(keys, json.loads(os.environ.get("PAYMENT_MOCK_FAULTS") or "{}"))


def main(argv: list[str] | None = None) -> None:
    def attach(server) -> None:
        server.platform = platform_from_env()

    serve(prog="payments.mock", default_port=8002, handler=Handler, attach=attach, argv=argv)


if __name__ == "__main__":
    main()
