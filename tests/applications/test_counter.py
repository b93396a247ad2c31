"""The counter: find or register, file on behalf (hall recorded, co-filed matter), receipt."""

import io
import re

import pytest
from pypdf import PdfReader

from applications.models import Application
from govdata.mock.registry import DEMO_RESIDENT
from portal.crypto import phone_digest
from portal.models import User
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db

FORM = {
    "customer_type": "residential", "applicant_name": "张伟", "id_number": DEMO_RESIDENT,
    "phone": "13905317777", "voltage": "low", "capacity_kva": "8", "supply_county": "370102",
    "supply_address": "历下区泉城路1号", "data_sharing_consent": "on",
    "other_matter_ref": "SX-370102-2026-0088",
}  # fmt: skip


def test_register_file_submit_and_print_the_receipt(
    client, clerk, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    bad = client.post(
        "/counter/register/", {"first_name": "张伟", "phone": "123", "customer_type": "residential"}
    )
    assert bad.status_code == 400 and 'id="id_phone-error"' in bad.content.decode()
    registered = client.post(
        "/counter/register/",
        {"first_name": "张伟", "phone": "13905317777", "customer_type": "residential"},
    )
    assert registered.status_code == 302
    walk_in = User.objects.get(phone_hash=phone_digest("13905317777"))
    found = client.get("/counter/").content.decode()  # the person registered, from the session
    assert f'data-user="{walk_in.pk}"' in found
    with django_capture_on_commit_callbacks(execute=True):
        filed = client.post(f"/counter/file/{walk_in.pk}/new_connection/", FORM)
    application = Application.objects.get(applicant=walk_in)
    assert filed.status_code == 302
    assert application.channel == "counter" and application.service_hall == clerk.service_hall
    assert application.filed_by == clerk and application.other_matter_ref == "SX-370102-2026-0088"
    # Seen in person: no face check, so nothing to upload.
    assert application.state == "pending_acceptance"
    assert (
        not application.checks.filter(service="face").exists()
        if hasattr(application, "checks")
        else True
    )
    # Found again by the ID number.
    found = client.post("/counter/lookup/", {"q": DEMO_RESIDENT}).content.decode()
    assert f'data-user="{walk_in.pk}"' in found
    receipt = client.get(f"/counter/applications/{application.pk}/receipt.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(receipt.content))
    text = pdf_text(receipt.content)
    assert application.number in text and application.check_code in text
    assert "受理回执" in text
    assert reader.pages[0].images, "the QR code is on the receipt"


def test_counter_pages_are_for_clerks_of_the_hall(client, clerk, applicant, engineer):
    for person in (applicant, engineer):
        client.force_login(person)
        assert client.get("/counter/").status_code == 403
        assert client.get(f"/counter/file/{applicant.pk}/new_connection/").status_code == 403
    client.force_login(clerk)
    # Only people this clerk found or registered: a user id in a URL opens nobody else.
    assert client.get(f"/counter/file/{applicant.pk}/new_connection/").status_code == 404
    session = client.session
    session["counter-found"] = [applicant.pk, engineer.pk]
    session.save()
    assert client.get(f"/counter/file/{engineer.pk}/new_connection/").status_code == 404
    assert client.get(f"/counter/file/{applicant.pk}/nonsense/").status_code == 404
    missing = client.post(
        f"/counter/file/{applicant.pk}/new_connection/",
        {**FORM, "data_sharing_consent": "", "id_number": "1"},
    )
    page = missing.content.decode()
    assert missing.status_code == 400 and 'id="id_data_sharing_consent-error"' in page
    assert 'id="id_id_number-error"' in page and not Application.objects.exists()
    assert re.search(r'value="SX-370102-2026-0088"', page)  # what was typed is kept


def test_counter_page_runs_the_same_queries_for_1_and_50_filings(client, clerk, applicant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import new_application

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/counter/?q={applicant.phone or '13905310001'}").status_code == 200
        return len(captured)

    hall = {"channel": "counter", "service_hall": clerk.service_hall, "filed_by": clerk}
    new_application(applicant, **hall)
    client.force_login(clerk)
    one = count()
    for _ in range(49):
        new_application(applicant, **hall)
    assert count() == one
