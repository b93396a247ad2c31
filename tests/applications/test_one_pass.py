"""Every problem of a filing in one pass: the page and the API judge alike, at once."""

import pytest

from applications.models import Application
from tests.factories import bad_id
from tests.workflow import application_body

pytestmark = pytest.mark.django_db

FIVE = {"id_number", "capacity_kva", "phone", "supply_county", "data_sharing_consent"}


def five_errors(**more) -> dict:
    body = application_body(
        id_number=bad_id(), capacity_kva="-5", phone="12345", supply_county="", **more
    )
    del body["data_sharing_consent"]
    return body


def test_the_api_returns_all_five_field_errors_in_one_response(api, applicant):
    response = api(applicant, language="en").post(
        "/api/v1/applications/", five_errors(), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= FIVE, response.json()
    assert Application.objects.count() == 0
