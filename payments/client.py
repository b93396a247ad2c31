"""The one place the portal talks HTTP to the payment platform: signed requests (the merchant's
key, `govdata.signing`'s scheme), answers whose signature is checked, explicit timeouts, typed
errors that say whether a retry can help."""

from __future__ import annotations

import json
import logging
import threading
import time

import httpx
from django.conf import settings

from govdata.signing import HEADER_NONCE, signed_headers, verify_response

logger = logging.getLogger(__name__)


class PaymentPlatformError(Exception):
    retryable = False


class PlatformUnavailable(PaymentPlatformError):
    """Timeout, connection failure, a 5xx or an answer not signed by the platform."""

    retryable = True


class PlatformRefused(PaymentPlatformError):
    """A 4xx: repeating the same call cannot help. `status` and `body` say why."""

    def __init__(self, message: str, status: int, body: dict) -> None:
        super().__init__(message)
        self.status, self.body = status, body


class PaymentClient:
    def __init__(
        self, base_url: str, merchant: str, key: str, *, connect_timeout=2.0, read_timeout=5.0
    ) -> None:
        self.merchant, self.key = merchant, key
        self._http = httpx.Client(
            base_url=base_url,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )

    def _call(self, method: str, path: str, payload: dict | None = None) -> httpx.Response:
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        headers = signed_headers(self.merchant, self.key, method, path, body)
        if payload is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            response = self._http.request(method, path, content=body, headers=headers)
        except httpx.TransportError as exc:  # timeouts included
            raise PlatformUnavailable(f"{method} {path}: {exc!r}") from exc
        finally:
            logger.info(
                "payment call %s %s latency_ms=%d",
                method, path, (time.perf_counter() - started) * 1000,
            )  # fmt: skip
        if response.status_code >= 500:
            raise PlatformUnavailable(f"{method} {path}: platform answered {response.status_code}")
        refused = verify_response(
            self.key, response.headers, response.status_code, response.content,
            headers[HEADER_NONCE],
        )  # fmt: skip
        if refused:
            logger.warning("payment answer refused path=%s reason=%s", path, refused)
            raise PlatformUnavailable(f"{method} {path}: answer not signed by the platform")
        if response.status_code >= 400:
            try:
                data = response.json()
            except ValueError:
                data = {}
            raise PlatformRefused(
                f"{method} {path}: refused ({response.status_code})", response.status_code, data
            )
        return response

    def create_order(self, **order) -> dict:
        return self._call("POST", "/orders", order).json()

    def query_order(self, merchant_order_no: str) -> dict:
        return self._call("GET", f"/orders/{merchant_order_no}").json()

    def close_order(self, merchant_order_no: str) -> dict:
        return self._call("POST", f"/orders/{merchant_order_no}/close", {}).json()

    def refund(self, *, merchant_order_no: str, refund_no: str, amount_fen: int) -> dict:
        payload = {
            "merchant_order_no": merchant_order_no,
            "refund_no": refund_no,
            "amount_fen": amount_fen,
        }
        return self._call("POST", "/refunds", payload).json()

    def statement(self, day: str) -> str:
        return self._call("GET", f"/statements/{day}").text


_client: PaymentClient | None = None
_lock = threading.Lock()


def get_client() -> PaymentClient:
    """One pooled client per process."""
    global _client
    with _lock:
        if _client is None:
            _client = PaymentClient(
                settings.PAYMENT_BASE_URL, settings.PAYMENT_MERCHANT_ID, settings.PAYMENT_KEY
            )
        return _client


def reset_client() -> None:
    """Tests point the portal at a mock of their own."""
    global _client
    with _lock:
        if _client is not None:
            _client._http.close()
        _client = None
