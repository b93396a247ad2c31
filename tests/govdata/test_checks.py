"""Record checks: the rule table, retries, unavailability, later success, the face photo, and
the roll-up that moves the application."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application, TimelineEntry
from applications.services import application_transition
from govdata.mock import registry as reg
from govdata.models import RecordCheck
from govdata.rules import PROJECT, RULES, required_checks
from govdata.services import checks_retry_unavailable
from portal.models import OutboxMessage
from portal.outbox import outbox_relay
from tests.factories import new_application
from tests.workflow import FACE, REVOKED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("divisions_and_platform")]


def submit(application, applicant, callbacks, payload=FACE):
    with callbacks(execute=True):
        application_transition(
            application_id=application.pk, name="submit", actor=applicant, payload=payload
        )
    application.refresh_from_db()
    return {c.service: c for c in RecordCheck.objects.filter(application_id=application.pk)}


def test_the_rule_table_covers_every_kind_customer_and_voltage():
    assert len(RULES) == 16  # 4 kinds × 2 customer types × 2 voltages
    assert required_checks(kind="new_connection", customer_type="residential", voltage="low") == [
        "id_card", "face", "real_estate",
    ]  # fmt: skip
    high = required_checks(kind="capacity_increase", customer_type="enterprise", voltage="high")
    assert high == ["business_license", "real_estate", *PROJECT]
    assert "project_approval" not in required_checks(
        kind="transfer", customer_type="enterprise", voltage="high"
    )


def test_a_resident_with_every_record_passes_with_zero_certificates(
    applicant, gov_platform, django_capture_on_commit_callbacks
):
    application = new_application(applicant)
    checks = submit(application, applicant, django_capture_on_commit_callbacks)
    assert application.state == "pending_acceptance"
    assert application.verification_outcome == "zero_certificate"
    assert all(c.state == "passed" and c.request_id and c.response_sha256 for c in checks.values())
    assert "photo" not in checks["face"].request  # the image is gone once checked
    assert sorted(gov_platform.calls) == ["face", "id_card", "real_estate"]
    rollups = TimelineEntry.objects.filter(application=application, role="system")
    assert list(rollups.values_list("transition", flat=True)) == ["verification_passed"]


DEMO_COMPANY = {
    **REVOKED,
    "credit_code": reg.DEMO_ENTERPRISE,
    "supply_county_id": "370102",
    "supply_address": "历下区经十路9号",
}
HIGH = {"voltage": "high", "capacity_kva": 400}
FACE_MISMATCH = {"applicant_name": "李强", "id_number": reg.FACE_MISMATCH}


@pytest.mark.parametrize(
    ("fields", "payload", "documents"),
    [
        (
            {**FACE_MISMATCH, "supply_county_id": "370103", "supply_address": "市中区经十路88号"},
            FACE,
            ["id_card"],
        ),
        ({}, {"face_consent": False}, ["id_card"]),  # declined: upload the ID instead
        ({"applicant_name": "王芳", "id_number": reg.NO_TITLE}, FACE, ["property_proof"]),
        ({"applicant_name": "错名"}, FACE, ["id_card"]),
        (REVOKED, FACE, ["business_license"]),
        (
            {**REVOKED, **HIGH, "project_code": reg.EXPIRED_PROJECT},
            FACE,
            ["business_license", "project_permits"],
        ),
        (
            {**DEMO_COMPANY, **HIGH, "project_code": "2026-000000-00-00-999999"},
            FACE,
            ["project_permits"],
        ),
    ],
)
def test_each_bad_case_asks_for_exactly_the_matching_document(
    applicant, fields, payload, documents, django_capture_on_commit_callbacks
):
    application = new_application(applicant, **fields)
    submit(application, applicant, django_capture_on_commit_callbacks, payload)
    assert application.state == "needs_documents"
    assert application.documents_requested == documents


def test_a_tenant_proves_the_address_with_a_registered_lease(
    applicant, django_capture_on_commit_callbacks
):
    application = new_application(
        applicant,
        applicant_name="赵敏",
        id_number=reg.TENANT,
        supply_county_id="370105",
        supply_address="天桥区和平路3号",
    )
    checks = submit(application, applicant, django_capture_on_commit_callbacks)
    assert application.state == "pending_acceptance"
    assert checks["real_estate"].evidence_service == "tenancy"


def test_an_unavailable_platform_retries_then_asks_for_the_document_and_a_later_success_clears_it(
    applicant, gov_platform, django_capture_on_commit_callbacks
):
    gov_platform.unavailable = {"real_estate"}
    application = new_application(applicant)
    checks = submit(application, applicant, django_capture_on_commit_callbacks)
    assert checks["real_estate"].state == "pending"  # retrying with backoff, not failed
    message = OutboxMessage.objects.get(payload={"check_id": checks["real_estate"].pk})
    assert message.state == "pending" and message.available_at > timezone.now()
    for _ in range(5):  # the relay picks up each retry when it falls due
        OutboxMessage.objects.filter(pk=message.pk).update(
            available_at=timezone.now(), dispatched_at=timezone.now() - timedelta(hours=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            outbox_relay()
    check = RecordCheck.objects.get(pk=checks["real_estate"].pk)
    application.refresh_from_db()
    assert check.state == "unavailable" and check.attempts == 3
    assert application.state == "needs_documents"
    assert application.documents_requested == ["property_proof"]

    gov_platform.unavailable = set()  # the registry is back
    RecordCheck.objects.filter(pk=check.pk).update(checked_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert checks_retry_unavailable() == 1
    application.refresh_from_db()
    assert application.state == "pending_acceptance"
    assert application.documents_requested == []


def test_a_late_check_result_for_a_withdrawn_application_changes_nothing(
    applicant, gov_platform, django_capture_on_commit_callbacks
):
    gov_platform.unavailable = {"face"}
    application = new_application(applicant)
    submit(application, applicant, django_capture_on_commit_callbacks)
    application_transition(application_id=application.pk, name="withdraw", actor=applicant)
    gov_platform.unavailable = set()
    OutboxMessage.objects.filter(state="pending").update(
        available_at=timezone.now(), dispatched_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        outbox_relay()
    assert Application.objects.get(pk=application.pk).state == "withdrawn"
