"""The one place the portal talks to the payment platform (over `govdata.transport`'s signed
client: the merchant's key, answers' signatures checked, timeouts, typed errors)."""

from __future__ import annotations

from django.conf import settings

from govdata.transport import ClientHolder, SignedClient, SystemRefused, SystemUnavailable

PlatformUnavailable = SystemUnavailable
PlatformRefused = SystemRefused


class PaymentClient(SignedClient):
    def create_order(self, **order) -> dict:
        return self.call("POST", "/orders", order).json()

    def query_order(self, merchant_order_no: str) -> dict:
        return self.call("GET", f"/orders/{merchant_order_no}").json()

    def close_order(self, merchant_order_no: str) -> dict:
        return self.call("POST", f"/orders/{merchant_order_no}/close", {}).json()

    def refund(self, *, merchant_order_no: str, refund_no: str, amount_fen: int) -> dict:
        payload = {
            "merchant_order_no": merchant_order_no,
            "refund_no": refund_no,
            "amount_fen": amount_fen,
        }
        return self.call("POST", "/refunds", payload).json()

    def statement(self, day: str) -> str:
        return self.call("GET", f"/statements/{day}").text


_holder = ClientHolder(
    lambda: PaymentClient(
        settings.PAYMENT_BASE_URL, settings.PAYMENT_MERCHANT_ID, settings.PAYMENT_KEY
    )
)


def get_client() -> PaymentClient:
    return _holder.get()


def reset_client() -> None:
    _holder.reset()
