"""Lines of 150 m or less: a signed commitment, filed with the departments, no approval task."""

import hashlib

import pytest

from applications.commitment import COMMITMENT_TEXT, COMMITMENT_VERSION
from approvals.models import ApprovalTask, CommitmentFiling
from notifications.models import Notification
from portal.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_signing_files_the_commitment_with_the_route_departments(
    api, filing_ready, applicant, jinan, django_capture_on_commit_callbacks
):
    greening = make_user("t_greening", Role.APPROVER, department="greening", division=jinan)
    client = api(applicant)
    url = f"/api/v1/applications/{filing_ready.pk}/transitions/file_commitment/"
    unsigned = client.post(url, {}, format="json")
    assert unsigned.status_code == 400 and "accept_commitment" in unsigned.json()
    assert not CommitmentFiling.objects.exists()
    text = client.get("/api/v1/commitment/").json()
    assert text["version"] == COMMITMENT_VERSION and text["text"] == COMMITMENT_TEXT
    with django_capture_on_commit_callbacks(execute=True):
        signed = client.post(url, {"accept_commitment": True}, format="json")
    assert signed.status_code == 200 and signed.json()["state"] == "construction"
    filing = CommitmentFiling.objects.get(application=filing_ready)
    assert filing.signed_by == applicant and filing.text_version == COMMITMENT_VERSION
    assert filing.text_sha256 == hashlib.sha256(COMMITMENT_TEXT.encode()).hexdigest()
    # Road → housing and traffic police; green space → greening. Not planning (≤ 150 m).
    assert sorted(filing.departments.values_list("code", flat=True)) == [
        "greening",
        "housing",
        "traffic_police",
    ]
    assert not ApprovalTask.objects.filter(application=filing_ready).exists()
    assert Notification.objects.filter(recipient=greening, kind="commitment_filed").exists()


def test_commitment_on_the_page(client, filing_ready, applicant, outsider):
    client.force_login(outsider)
    assert client.get(f"/applications/{filing_ready.pk}/").status_code == 404
    client.force_login(applicant)
    page = client.get(f"/applications/{filing_ready.pk}/").content.decode()
    assert COMMITMENT_TEXT in page
    missing = client.post(
        f"/applications/{filing_ready.pk}/steps/file_commitment/", {"accept_commitment": "false"}
    )
    assert missing.status_code == 400 and "id_accept_commitment-error" in missing.content.decode()
    assert (
        client.post(
            f"/applications/{filing_ready.pk}/steps/file_commitment/", {"accept_commitment": "on"}
        ).status_code
        == 302
    )
    filing_ready.refresh_from_db()
    assert filing_ready.state == "construction"
