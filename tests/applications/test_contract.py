"""The e-contract: a PDF with the Chinese text, signed with an SMS code; the signature keeps
who, when, from where and the SHA-256 of the exact bytes."""

import hashlib
import io

import pytest

from applications.models import SupplyContract
from applications.services.contract import account_number_for
from notifications.models import SmsCode
from portal.models import OutboxMessage
from portal.outbox import outbox_run
from tests.factories import new_application
from tests.helpers import pdf_text, sms_code
from tests.workflow import step

pytestmark = pytest.mark.django_db
IN_CI = __import__("os").environ.get("CI", "").lower() == "true"


def send_code(client, application, callbacks) -> str:
    with callbacks(execute=True):
        response = client.post(f"/api/v1/applications/{application.pk}/contract/code/")
    assert response.status_code == 202, response.json()
    return sms_code(application.phone)


def test_pdf_has_the_name_and_account_and_the_signature_binds_its_bytes(
    api, ready, applicant, django_capture_on_commit_callbacks
):
    me = api(applicant)
    pdf = me.get(f"/api/v1/applications/{ready.pk}/contract/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    data = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    text = pdf_text(data)
    account = account_number_for(ready)
    assert ready.applicant_name in text and account in text
    # The same bytes every time it is shown, until it is signed.
    assert me.get(f"/api/v1/applications/{ready.pk}/contract/").content == data

    code = send_code(me, ready, django_capture_on_commit_callbacks)
    body = step(me, ready.pk, "sign_contract", sms_code=code)
    assert body["state"] == "connecting"
    contract = SupplyContract.objects.get(application=ready)
    assert contract.signed_by == applicant and contract.signed_at is not None
    assert contract.signed_from == "127.0.0.1"
    assert contract.sha256 == hashlib.sha256(data).hexdigest()

    def verify(blob: bytes) -> dict:
        upload = io.BytesIO(blob)
        upload.name = "contract.pdf"
        return me.post("/api/v1/contracts/verify/", {"file": upload}, format="multipart").json()

    assert verify(data)["matches"] is True
    assert verify(data)["application_number"] == ready.number
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01  # one byte
    assert verify(bytes(changed))["matches"] is False


def test_wrong_codes_are_counted_and_codes_are_not_resent_at_once(
    api, ready, applicant, django_capture_on_commit_callbacks
):
    me = api(applicant)
    code = send_code(me, ready, django_capture_on_commit_callbacks)
    again = me.post(f"/api/v1/applications/{ready.pk}/contract/code/")
    assert again.status_code == 429 and "sms_code" in again.json()
    assert 0 < int(again["Retry-After"]) <= 60
    wrong = "000000" if code != "000000" else "111111"
    refused = step(me, ready.pk, "sign_contract", expect=400, sms_code=wrong)
    assert "sms_code" in refused
    assert SmsCode.objects.get().attempts == 1
    for _ in range(4):
        step(me, ready.pk, "sign_contract", expect=400, sms_code=wrong)
    # Five wrong tries: even the right code is refused now; nothing was signed.
    step(me, ready.pk, "sign_contract", expect=400, sms_code=code)
    ready.refresh_from_db()
    assert ready.state == "contract_pending"
    assert SupplyContract.objects.get(application=ready).signed_at is None
    missing = step(me, ready.pk, "sign_contract", expect=400)
    assert "sms_code" in missing


def test_only_the_applicant_and_only_when_it_is_time(
    api, ready, applicant, engineer, enterprise_applicant, outsider
):
    assert api(engineer).post(f"/api/v1/applications/{ready.pk}/contract/code/").status_code == 403
    for stranger in (enterprise_applicant, outsider):
        assert api(stranger).get(f"/api/v1/applications/{ready.pk}/contract/").status_code == 404
    assert api().get(f"/api/v1/applications/{ready.pk}/contract/").status_code == 401
    early = new_application(applicant)
    response = api(applicant).get(f"/api/v1/applications/{early.pk}/contract/")
    assert response.status_code == 409


def test_contract_pages(client, ready, applicant, outsider, django_capture_on_commit_callbacks):
    client.force_login(outsider)
    assert client.get(f"/applications/{ready.pk}/contract/").status_code == 404
    client.force_login(applicant)
    page = client.get(f"/applications/{ready.pk}/contract/").content.decode()
    assert account_number_for(ready) in page
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(f"/applications/{ready.pk}/contract/code/", {"send_code": "1"}).status_code
            == 302
        )
    code = sms_code()
    wrong = client.post(f"/applications/{ready.pk}/contract/sign/", {"sms_code": "12345x"})
    assert wrong.status_code == 400 and 'id="id_sms_code-error"' in wrong.content.decode()
    signed = client.post(f"/applications/{ready.pk}/contract/sign/", {"sms_code": code})
    assert signed.status_code == 302
    data = client.get(f"/applications/{ready.pk}/contract.pdf").content
    checked = client.post("/contracts/verify/", {"file": io.BytesIO(data)})
    assert (
        'id="verify-result"' in checked.content.decode()
        and ready.number in checked.content.decode()
    )


def test_the_contract_is_made_when_the_application_comes_to_it_not_when_it_is_opened(
    api, ready, applicant, monkeypatch
):
    """Documents ready ahead (#18): the step into contract_pending enqueues the PDF's making;
    opening the contract afterwards renders nothing."""
    queued = OutboxMessage.objects.get(
        handler="applications.handoffs.prepare_contract", payload__application_id=ready.pk
    )
    assert not SupplyContract.objects.filter(application=ready).exists()
    assert outbox_run(message_id=queued.pk) == "done"
    contract = SupplyContract.objects.get(application=ready)
    assert contract.sha256 == hashlib.sha256(bytes(contract.pdf)).hexdigest()

    def no_rendering(*args, **kwargs):
        raise AssertionError("the contract was rendered on request")

    monkeypatch.setattr("applications.services.contract.contract_pdf", no_rendering)
    shown = api(applicant).get(f"/api/v1/applications/{ready.pk}/contract/")
    assert shown.status_code == 200


def test_no_code_is_sent_once_the_contract_is_signed(
    api, ready, applicant, django_capture_on_commit_callbacks
):
    me = api(applicant)
    code = send_code(me, ready, django_capture_on_commit_callbacks)
    step(me, ready.pk, "sign_contract", sms_code=code)
    refused = me.post(f"/api/v1/applications/{ready.pk}/contract/code/")
    assert refused.status_code == 409, refused.json()
    assert SmsCode.objects.count() == 1
