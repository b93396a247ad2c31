"""Zero-certificate verification end to end: the real mock platform over HTTP, a real Celery
worker, Redis and PostgreSQL."""

import time

from django.db import transaction

from applications.models import Application, TimelineEntry
from applications.services import application_transition
from govdata.mock import registry as reg
from govdata.models import GovCall, RecordCheck
from tests.factories import new_application
from tests.helpers import RUN_STATS
from tests.workflow import FACE, REVOKED

FACE_MISMATCH = {"applicant_name": "李强", "id_number": reg.FACE_MISMATCH}
CASES = [
    # (fields, submit payload, expected state, outcome or documents)
    ({}, FACE, "pending_acceptance", "zero_certificate"),
    (
        {**REVOKED, "credit_code": reg.DEMO_ENTERPRISE, "applicant_name": "济南泉能科技有限公司",
         "supply_county_id": "370102", "supply_address": "历下区经十路9号"},
        {},
        "pending_acceptance",
        "one_certificate",
    ),
    ({**FACE_MISMATCH, "supply_county_id": "370103", "supply_address": "市中区经十路88号"}, FACE,
     "needs_documents", ["id_card"]),
    ({"applicant_name": "王芳", "id_number": reg.NO_TITLE}, FACE, "needs_documents",
     ["property_proof"]),
    (REVOKED, {}, "needs_documents", ["business_license"]),
    ({**REVOKED, "voltage": "high", "capacity_kva": 400, "project_code": reg.EXPIRED_PROJECT},
     {}, "needs_documents", ["business_license", "project_permits"]),
]  # fmt: skip


def wait_for_state(pk: int, states: set[str], timeout: float = 60) -> Application:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        application = Application.objects.get(pk=pk)
        if application.state in states:
            return application
        time.sleep(0.2)
    raise AssertionError(
        f"still {application.state}: {list(RecordCheck.objects.filter(application_id=pk).values())}"
    )


def test_each_case_verifies_to_its_outcome_over_http_with_a_real_worker(
    celery_worker, applicant_in_jinan
):
    submitted = []
    for fields, payload, _, _ in CASES:
        application = new_application(applicant_in_jinan, **fields)
        with transaction.atomic():
            application_transition(
                application_id=application.pk,
                name="submit",
                actor=applicant_in_jinan,
                payload=payload,
            )
        submitted.append(application.pk)
    for pk, (_, _, state, expected) in zip(submitted, CASES, strict=True):
        application = wait_for_state(pk, {"pending_acceptance", "needs_documents"})
        assert application.state == state, pk
        if state == "pending_acceptance":
            assert application.verification_outcome == expected
        else:
            assert application.documents_requested == expected
        # Exactly one roll-up, however the checks' threads interleaved.
        rollups = TimelineEntry.objects.filter(application_id=pk, role="system")
        assert rollups.count() == 1
        checks = RecordCheck.objects.filter(application_id=pk)
        RUN_STATS["worker_tasks"] += checks.exclude(state="declined").count()
        for check in checks.filter(state="passed"):
            assert check.request_id and len(check.response_sha256) == 64 and check.checked_at
        assert not any("photo" in c.request for c in checks)
    assert GovCall.objects.filter(outcome="answered").count() >= 12
    assert not GovCall.objects.filter(subject__contains=reg.DEMO_RESIDENT).exists()


def test_a_platform_outage_asks_for_documents_and_never_loses_the_application(
    celery_worker, mock_platform_process, applicant_in_jinan
):
    mock_platform_process.set_faults({"real_estate": {"error_rate": 1.0}})
    try:
        application = new_application(applicant_in_jinan)
        with transaction.atomic():
            application_transition(
                application_id=application.pk, name="submit", actor=applicant_in_jinan, payload=FACE
            )
        # Retries with backoff (2 s, then up to 8 s) before the check counts as unavailable.
        application = wait_for_state(application.pk, {"needs_documents"}, timeout=90)
        assert application.documents_requested == ["property_proof"]
        check = RecordCheck.objects.get(application_id=application.pk, service="real_estate")
        assert check.state == "unavailable" and check.attempts == 3
    finally:
        mock_platform_process.set_faults({})
