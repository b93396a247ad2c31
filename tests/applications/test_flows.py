"""Each kind from draft to completed through the API, each step by the right role."""

from decimal import Decimal

import pytest
from django.dispatch import receiver

from applications.models import Application, ElectricityAccount, TimelineEntry
from applications.services import application_transition
from applications.signals import permits_requested
from govdata.mock.registry import DEMO_ENTERPRISE, NO_TITLE
from notifications.models import Notification
from tests.factories import UserFactory, make_account
from tests.workflow import (
    FACE,
    application_body,
    first_free_slot,
    sign,
    step,
    supply_asked_documents,
)

# A transfer names the account; its supply address is the account's, not typed.
TRANSFER = {"kind": "transfer", "capacity_kva": None, "supply_county": None, "supply_address": None}

pytestmark = pytest.mark.django_db


def file(client, **overrides):
    response = client.post("/api/v1/applications/", application_body(**overrides), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_new_connection_from_draft_to_completed_with_parallel_permits(
    api, applicant, engineer, django_capture_on_commit_callbacks
):
    me, eng = api(applicant), api(engineer)
    requested = []

    @receiver(permits_requested, weak=False)
    def record(sender, application_id, **kwargs):  # the approvals app's side of the hand-off
        requested.append(application_id)

    try:
        created = file(me)
        assert created["state"] == "draft" and created["number"].startswith("GE")
        pk = created["id"]
        with django_capture_on_commit_callbacks(execute=True):
            step(me, pk, "submit", **FACE)
        body = me.get(f"/api/v1/applications/{pk}/").json()
        assert body["state"] == "pending_acceptance"
        assert body["verification_outcome"] == "zero_certificate"
        assert {c["service"]: c["state"] for c in body["checks"]} == {
            "id_card": "passed",
            "face": "passed",
            "real_estate": "passed",
        }
        assert all(c["request_id"] and len(c["response_sha256"]) == 64 for c in body["checks"])
        step(eng, pk, "accept")
        step(me, pk, "schedule_survey", slot=first_free_slot(pk).isoformat())
        step(eng, pk, "complete_survey", line_length_m=400, crosses_urban_road=True)
        with django_capture_on_commit_callbacks(execute=True):
            body = step(me, pk, "confirm_scheme")
        assert body["state"] == "works_permitting"
        assert requested == [pk]
    finally:
        permits_requested.disconnect(record)
    # The approvals roll-up's call once every department approved.
    application_transition(application_id=pk, name="permits_approved")
    step(eng, pk, "complete_construction")
    step(eng, pk, "pass_inspection")
    sign(me, pk, django_capture_on_commit_callbacks)
    body = step(eng, pk, "energize")
    assert body["state"] == "completed"
    assert body["scheme_fee"] == "0.00"  # low voltage: zero investment
    account = ElectricityAccount.objects.get(number=body["account_number"])
    assert account.holder == applicant and account.capacity_kva == Decimal("10")
    rows = list(TimelineEntry.objects.filter(application_id=pk).values_list("transition", "role"))
    assert rows == [
        ("submit", "applicant"),
        ("verification_passed", "system"),
        ("accept", "engineer"),
        ("schedule_survey", "applicant"),
        ("complete_survey", "engineer"),
        ("confirm_scheme", "applicant"),
        ("permits_approved", "system"),
        ("complete_construction", "engineer"),
        ("pass_inspection", "engineer"),
        ("sign_contract", "applicant"),
        ("energize", "engineer"),
    ]


def test_capacity_increase_with_a_short_line_needs_only_a_commitment(
    api, enterprise_applicant, engineer, django_capture_on_commit_callbacks
):
    account = make_account(
        enterprise_applicant, "37010200000009", "济南泉能科技有限公司", "历下区经十路9号",
        capacity_kva=Decimal("50"),
    )  # fmt: skip
    me, eng = api(enterprise_applicant), api(engineer)
    pk = file(
        me,
        kind="capacity_increase",
        customer_type="enterprise",
        applicant_name="济南某科技有限公司",
        id_number="",
        credit_code=DEMO_ENTERPRISE,
        supply_address="历下区经十路9号",
        capacity_kva="120",
        account_number=account.number,
    )["id"]
    with django_capture_on_commit_callbacks(execute=True):
        step(me, pk, "submit")
    assert me.get(f"/api/v1/applications/{pk}/").json()["verification_outcome"] == "one_certificate"
    step(eng, pk, "accept")
    step(eng, pk, "schedule_survey", slot=first_free_slot(pk).isoformat())
    step(eng, pk, "complete_survey", line_length_m=120, crosses_green_space=True)
    assert step(me, pk, "confirm_scheme")["state"] == "works_filing"
    refused = step(me, pk, "file_commitment", expect=400)
    assert "accept_commitment" in refused
    step(me, pk, "file_commitment", accept_commitment=True)
    step(eng, pk, "complete_construction")
    step(eng, pk, "fail_inspection", reason="接地电阻超标")
    step(eng, pk, "complete_construction")
    step(eng, pk, "pass_inspection")
    sign(me, pk, django_capture_on_commit_callbacks)
    assert step(eng, pk, "energize")["state"] == "completed"
    account.refresh_from_db()
    assert account.capacity_kva == Decimal("120")


def test_transfer_with_the_current_holders_consent_and_arrears(
    api,
    applicant,
    holder,
    held_account,
    engineer,
    django_capture_on_commit_callbacks,
):
    me, current, eng = api(applicant), api(holder), api(engineer)
    pk = file(me, **TRANSFER, account_number=held_account.number)["id"]
    with django_capture_on_commit_callbacks(execute=True):
        step(me, pk, "submit", **FACE)
    supply_asked_documents(me, pk)  # the account's address is not the buyer's title yet
    with django_capture_on_commit_callbacks(execute=True):
        step(eng, pk, "accept")
    # The registry cannot show the applicant owns the property: the holder is asked.
    assert me.get(f"/api/v1/applications/{pk}/").json()["state"] == "consent_pending"
    asked = Notification.objects.get(recipient=holder, kind="consent_requested")
    assert asked.params["account"] == held_account.number
    assert current.get(f"/api/v1/applications/{pk}/").json()["available_transitions"] == [
        "give_consent",
        "refuse_consent",
    ]
    assert step(current, pk, "give_consent")["state"] == "settlement_pending"
    step(eng, pk, "confirm_settlement", settlement_method="counter")
    sign(me, pk, django_capture_on_commit_callbacks)
    held_account.refresh_from_db()
    assert held_account.holder == applicant and held_account.holder_name == "张伟"
    assert Application.objects.get(pk=pk).state == "completed"


def test_transfer_goes_straight_to_contract_when_the_registry_shows_ownership(
    api, applicant, held_account, engineer, ownership_shown,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    held_account.arrears = 0
    held_account.save()
    me = api(applicant)
    pk = file(me, **TRANSFER, account_number=held_account.number)["id"]
    with django_capture_on_commit_callbacks(execute=True):
        step(me, pk, "submit", **FACE)
    supply_asked_documents(me, pk)
    with django_capture_on_commit_callbacks(execute=True):
        step(api(engineer), pk, "accept")
    assert Application.objects.get(pk=pk).state == "contract_pending"


def test_unverified_records_ask_for_documents_and_the_upload_moves_it_on(
    api, applicant, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # 王芳 has no title and no lease, and declines face recognition.
    me = api(UserFactory(identity={"name": "王芳", "id_number": NO_TITLE}))
    pk = file(me, applicant_name="王芳", id_number=NO_TITLE, supply_address="槐荫区经十路5号")["id"]
    with django_capture_on_commit_callbacks(execute=True):
        step(me, pk, "submit", face_consent=False)
    body = me.get(f"/api/v1/applications/{pk}/").json()
    assert body["state"] == "needs_documents"
    assert body["documents_requested"] == ["id_card", "property_proof"]
    conflict = step(me, pk, "supply_documents", expect=409)
    assert "document" in conflict["detail"]
    for doc_type in ("id_card", "property_proof"):
        upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
        response = me.post(
            f"/api/v1/applications/{pk}/documents/", {"doc_type": doc_type, "file": upload}
        )
        assert response.status_code == 201, response.json()
    assert step(me, pk, "supply_documents")["state"] == "pending_acceptance"


def test_a_create_retried_with_the_same_key_returns_the_first_application(api, applicant):
    from applications.models import Application

    client = api(applicant)
    body = application_body()
    first = client.post("/api/v1/applications/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/applications/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    other = client.post("/api/v1/applications/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert first.json()["id"] == again.json()["id"] != other.json()["id"]
    assert Application.objects.count() == 2
