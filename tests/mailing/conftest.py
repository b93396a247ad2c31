"""An application whose contract is about to be signed."""

import pytest
from django.urls import reverse

from mailing.models import Shipment
from tests.workflow import sign, to_contract


@pytest.fixture
def contract_ready(applicant, engineer, gov_platform, django_capture_on_commit_callbacks):
    """A new connection without external works, waiting for the contract."""
    return to_contract(applicant, engineer, django_capture_on_commit_callbacks)


@pytest.fixture
def shipped(api, client, contract_ready, applicant, courier, django_capture_on_commit_callbacks):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("applications:mailing", args=[contract_ready.pk]),
            {"mailing": "1", "mailing_address": "济南市历下区泉城路1号 张伟收"},
        )
    assert not Shipment.objects.exists()  # nothing signed to send yet
    with django_capture_on_commit_callbacks(execute=True):
        sign(api(applicant), contract_ready.pk, django_capture_on_commit_callbacks)
    shipment = Shipment.objects.get(application=contract_ready)
    return shipment
