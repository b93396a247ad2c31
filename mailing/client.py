"""The one place the portal talks to the courier (over `govdata.transport`'s signed client)."""

from __future__ import annotations

from django.conf import settings

from govdata.transport import ClientHolder, SignedClient


class CourierClient(SignedClient):
    def ship(self, **shipment) -> dict:
        return self.call("POST", "/shipments", shipment).json()

    def track(self, tracking_no: str) -> dict:
        return self.call("GET", f"/shipments/{tracking_no}").json()

    def redeliver(self, tracking_no: str) -> dict:
        return self.call("POST", f"/shipments/{tracking_no}/redeliver", {}).json()


_holder = ClientHolder(
    lambda: CourierClient(
        settings.COURIER_BASE_URL, settings.COURIER_SENDER_ID, settings.COURIER_KEY
    )
)


def get_client() -> CourierClient:
    return _holder.get()


def reset_client() -> None:
    _holder.reset()
