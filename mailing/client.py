"""The one place the portal talks to the courier (over `govdata.transport`'s signed client)."""

from __future__ import annotations

import threading

from django.conf import settings

from govdata.transport import SignedClient


class CourierClient(SignedClient):
    def ship(self, **shipment) -> dict:
        return self.call("POST", "/shipments", shipment).json()

    def track(self, tracking_no: str) -> dict:
        return self.call("GET", f"/shipments/{tracking_no}").json()

    def redeliver(self, tracking_no: str) -> dict:
        return self.call("POST", f"/shipments/{tracking_no}/redeliver", {}).json()


_client: CourierClient | None = None
_lock = threading.Lock()


def get_client() -> CourierClient:
    global _client
    with _lock:
        if _client is None:
            _client = CourierClient(
                settings.COURIER_BASE_URL, settings.COURIER_SENDER_ID, settings.COURIER_KEY
            )
        return _client


def reset_client() -> None:
    global _client
    with _lock:
        if _client is not None:
            _client.close()
        _client = None
