"""Mailing the papers: once the contract is signed and the applicant gave a mailing address, a
shipment is made (through the outbox) at the courier; the courier's signed status callbacks are
recorded; a failed delivery is tried again, and after the last attempt flagged for an operator."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, SupplyContract
from govdata.signing import NonceCache, verify
from govdata.transport import SystemRefused, SystemUnavailable
from notifications.services import notify
from portal.outbox import RetryLater, outbox_enqueue

from .client import get_client
from .models import MAX_DELIVERY_ATTEMPTS, Shipment, ShipmentEvent

logger = logging.getLogger(__name__)
Status = Shipment.Status
SHIP = "mailing.handlers.create_shipment"
REDELIVER = "mailing.handlers.redeliver"
FINAL = {Status.DELIVERED, Status.FLAGGED}


def papers_of(application: Application) -> list[str]:
    """What goes in the envelope: the signed contract and the e-invoices of what was paid."""
    papers = [f"contract:HT-{application.number}"]
    # The payments app's orders, when it is installed (read by relation, not imported).
    orders = getattr(application, "payment_orders", None)
    if orders is not None:
        numbers = orders.filter(invoice__isnull=False).values_list("invoice__number", flat=True)
        papers += [f"receipt+invoice:{number}" for number in numbers]
    return papers


def shipment_prepare(*, application_id: int) -> Shipment | None:
    """Called when the contract is signed or the address set: a shipment once both are there."""
    application = Application.objects.get(pk=application_id)
    signed = SupplyContract.objects.filter(
        application_id=application_id, signed_at__isnull=False
    ).exists()
    if not (signed and application.mailing_address):
        return None
    try:
        with transaction.atomic():
            shipment = Shipment.objects.create(
                application=application,
                reference=f"GE{application.pk:09d}",
                address=application.mailing_address,
                contents=papers_of(application),
            )
            outbox_enqueue(handler=SHIP, payload={"shipment_id": shipment.pk})
    except IntegrityError:  # already on its way
        return Shipment.objects.get(application=application)
    return shipment


def shipment_create(*, shipment_id: int) -> None:
    shipment = Shipment.objects.select_related("application").get(pk=shipment_id)
    if shipment.tracking_no:
        return
    application = shipment.application
    try:
        answer = get_client().ship(
            reference=shipment.reference,
            address=shipment.address,
            recipient=application.applicant_name,
            phone=application.phone,
            contents=shipment.contents,
            callback_url=settings.PORTAL_BASE_URL + reverse("mailing:callback"),
        )
    except SystemUnavailable as error:
        raise RetryLater(str(error)) from error
    Shipment.objects.filter(pk=shipment.pk, tracking_no="").update(
        tracking_no=answer["tracking_no"], status=Status.CREATED
    )


def callback_receive(*, headers, path: str, body: bytes) -> bool:
    """A status from the courier: recorded if signed by it; False (refused) otherwise."""
    keys = {settings.COURIER_SENDER_ID: settings.COURIER_KEY}
    refused = verify(keys, headers, "POST", path, body, NonceCache())
    if refused:
        logger.warning("courier callback refused: %s", refused)
        return False
    data = json.loads(body)
    shipment_status_record(
        tracking_no=str(data.get("tracking_no", "")),
        status=str(data.get("status", "")),
        at=str(data.get("at", "")),
    )
    return True


ORDER = [Status.ACCEPTED, Status.IN_TRANSIT, Status.OUT_FOR_DELIVERY]


def shipment_status_record(*, tracking_no: str, status: str, at: str) -> None:
    """Each status once (a repeated callback changes nothing); a late, older status is kept in
    the history but does not move the shipment back."""
    if status not in Status.values:
        return
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        when = timezone.now()
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().filter(tracking_no=tracking_no).first()
        if shipment is None:
            return
        _event, created = ShipmentEvent.objects.get_or_create(
            shipment=shipment, status=status, at=when
        )
        if not created or shipment.status in FINAL:
            return
        latest = ShipmentEvent.objects.filter(shipment=shipment).order_by("-at", "-id").first()
        if latest.status != status:  # an older status arrived late
            return
        shipment.status = status
        if status == Status.DELIVERY_FAILED:
            shipment.delivery_attempts += 1
            if shipment.delivery_attempts >= MAX_DELIVERY_ATTEMPTS:
                shipment.status = Status.FLAGGED
            else:
                outbox_enqueue(handler=REDELIVER, payload={"shipment_id": shipment.pk})
        shipment.save(update_fields=["status", "delivery_attempts", "updated_at"])
        if shipment.status in {Status.DELIVERED, Status.FLAGGED}:
            notify(
                recipients=[shipment.application.applicant_id],
                kind="application_moved",
                params={
                    "number": shipment.application.number,
                    "state_label": str(Status(shipment.status).label),
                },
                link=reverse("applications:page", args=[shipment.application_id]),
            )


def shipment_redeliver(*, shipment_id: int) -> None:
    shipment = Shipment.objects.get(pk=shipment_id)
    if shipment.status != Status.DELIVERY_FAILED:
        return
    try:
        get_client().redeliver(shipment.tracking_no)
    except SystemUnavailable as error:
        raise RetryLater(str(error)) from error
    except SystemRefused as error:
        if error.status != 409:  # 409: the courier is already on it
            raise


def shipment_summaries(application) -> list[dict]:
    shipment = Shipment.objects.filter(application=application).first()
    if shipment is None:
        return []
    return [
        {
            "tracking_no": shipment.tracking_no,
            "status": shipment.status,
            "status_label": str(Status(shipment.status).label),
            "contents": shipment.contents,
            "delivery_attempts": shipment.delivery_attempts,
            "events": [{"status": e.status, "at": e.at} for e in shipment.events.all()],
        }
    ]
