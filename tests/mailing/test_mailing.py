"""Free mailing: the signed contract (and any e-invoice) is mailed once a mailing address is
given, the shipment is made at the (real, mock) courier through the outbox, its signed status
callbacks are shown in the page and the API, and a failed delivery is tried again, then
flagged."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from govdata.signing import signed_headers
from mailing.client import get_client
from mailing.models import Shipment
from tests.workflow import sign

pytestmark = pytest.mark.django_db
CALLBACK = "/mailing/courier/callback/"


def status(client, shipment, name: str, at: str, key: str | None = None):
    data = json.dumps({"tracking_no": shipment.tracking_no, "status": name, "at": at}).encode()
    headers = signed_headers(
        settings.COURIER_SENDER_ID, key or settings.COURIER_KEY, "POST", CALLBACK, data
    )
    return client.post(CALLBACK, data, content_type="application/json", headers=headers)


def test_a_signed_contract_with_an_address_is_shipped_through_the_courier(shipped):
    shipped.refresh_from_db()
    assert shipped.tracking_no.startswith("E") and shipped.status == "created"
    assert shipped.contents == [f"contract:HT-{shipped.application.number}"]
    at_courier = get_client().track(shipped.tracking_no)
    assert at_courier["reference"] == shipped.reference
    assert at_courier["address"] == "济南市历下区泉城路1号 张伟收"


def test_statuses_are_recorded_once_in_order_and_shown(api, client, shipped, applicant, outsider):
    shipped.refresh_from_db()
    assert status(client, shipped, "accepted", "2026-11-28T09:00:00+00:00").status_code == 200
    status(client, shipped, "in_transit", "2026-11-28T12:00:00+00:00")
    status(client, shipped, "in_transit", "2026-11-28T12:00:00+00:00")  # repeated
    status(client, shipped, "accepted", "2026-11-28T09:00:00+00:00")  # late, older
    shipped.refresh_from_db()
    assert shipped.status == "in_transit" and shipped.events.count() == 2
    body = api(applicant).get(f"/api/v1/applications/{shipped.application_id}/").json()
    assert body["mailing_address"] == "济南市历下区泉城路1号 张伟收"
    assert body["shipments"][0]["tracking_no"] == shipped.tracking_no
    assert [e["status"] for e in body["shipments"][0]["events"]] == ["accepted", "in_transit"]
    client.force_login(applicant)
    page = client.get(reverse("applications:page", args=[shipped.application_id])).content
    assert shipped.tracking_no.encode() in page
    other = api(outsider).get(f"/api/v1/applications/{shipped.application_id}/")
    assert other.status_code == 404


def test_a_forged_status_is_refused(client, shipped):
    shipped.refresh_from_db()
    answer = status(client, shipped, "delivered", "2026-11-28T09:00:00+00:00", key="forged")
    assert answer.status_code == 401
    shipped.refresh_from_db()
    assert shipped.status == "created"


def test_a_failed_delivery_is_tried_again_then_flagged(
    client, shipped, django_capture_on_commit_callbacks
):
    shipped.refresh_from_db()
    for hour in (9, 10, 11):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            status(client, shipped, "delivery_failed", f"2026-11-28T{hour:02d}:00:00+00:00")
        shipped.refresh_from_db()
        if hour < 11:
            assert shipped.status == "delivery_failed" and len(callbacks) == 1  # redelivery
    assert shipped.status == "flagged" and shipped.delivery_attempts == 3


def test_no_address_no_shipment(
    api, contract_ready, applicant, courier, django_capture_on_commit_callbacks
):
    sign(api(applicant), contract_ready.pk, django_capture_on_commit_callbacks)
    assert not Shipment.objects.exists()
