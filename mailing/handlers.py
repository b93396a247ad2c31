"""Outbox handlers of the mailing app (ids in, idempotent)."""

from .services import shipment_create, shipment_redeliver


def create_shipment(*, shipment_id: int) -> None:
    shipment_create(shipment_id=shipment_id)


def redeliver(*, shipment_id: int) -> None:
    shipment_redeliver(shipment_id=shipment_id)
