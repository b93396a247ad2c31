"""The applicant's and the engineer's pages: scoping, forms, drafts, flat query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from govdata.mock.registry import DEMO_RESIDENT
from tests.factories import new_application
from tests.workflow import FACE, SLOT, drive

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_run_the_same_queries_for_1_and_50_applications(
    client, applicant, engineer, django_capture_on_commit_callbacks
):
    first = new_application(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        drive(first, [("submit", "applicant", FACE)], {"applicant": applicant})
    client.force_login(applicant)
    mine_one = queries(client, "/applications/")
    client.force_login(engineer)
    queue_one = queries(client, "/engineer/")
    for _ in range(49):
        application = new_application(applicant)
        with django_capture_on_commit_callbacks(execute=True):
            drive(application, [("submit", "applicant", FACE)], {"applicant": applicant})
    assert Application.objects.filter(state="pending_acceptance").count() == 50
    assert queries(client, "/engineer/") == queue_one
    client.force_login(applicant)
    assert queries(client, "/applications/") == mine_one


def test_the_form_files_a_draft_keeps_a_half_filled_one_and_names_bad_fields(client, applicant):
    client.force_login(applicant)
    url = "/applications/new/new_connection/"
    half = {"applicant_name": "张伟", "supply_address": "历下区泉城路1号", "save_draft": "1"}
    assert client.post(url, half).status_code == 302
    assert "历下区泉城路1号" in client.get(url).content.decode()  # kept for later
    body = {
        "customer_type": "residential", "applicant_name": "张伟", "id_number": "12345",
        "phone": "13905310001", "voltage": "low", "capacity_kva": "10",
        "supply_county": "370102", "supply_address": "历下区泉城路1号", "continue": "1",
    }  # fmt: skip
    refused = client.post(url, body)
    page = refused.content.decode()
    assert refused.status_code == 400 and 'id="id_id_number-error"' in page
    assert 'id="id_data_sharing_consent-error"' in page  # consent is needed too
    assert not Application.objects.exists()
    filed = client.post(url, {**body, "id_number": DEMO_RESIDENT, "data_sharing_consent": "on"})
    application = Application.objects.get()
    assert filed.status_code == 302 and filed["Location"] == f"/applications/{application.pk}/"
    assert application.state == "draft" and application.channel == "web"
    assert "历下区泉城路1号" not in client.get(url).content.decode()  # draft used up


def test_engineer_pages_are_scoped_and_steps_are_validated(
    client, applicant, engineer, outsider, django_capture_on_commit_callbacks
):
    application = new_application(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        drive(application, [("submit", "applicant", FACE)], {"applicant": applicant})
    url = f"/engineer/applications/{application.pk}/"
    client.force_login(applicant)
    assert client.get("/engineer/").status_code == 403 and client.get(url).status_code == 403
    assert client.get("/applications/new/nonsense/").status_code == 404
    client.force_login(outsider)  # an engineer of another city
    assert client.get(url).status_code == 404
    client.force_login(engineer)
    missing = client.post(
        f"{url}steps/reject/", {"take": "reject", "reject-step": "reject", "reject-reason": ""}
    )
    assert missing.status_code == 400 and 'id="id_reject-reason-error"' in missing.content.decode()
    assert client.post(f"{url}steps/accept/", {"accept-step": "accept"}).status_code == 302
    application.refresh_from_db()
    assert application.state == "accepted"
    # Taken already: the step is no longer offered, a replay changes nothing.
    assert client.post(f"{url}steps/accept/", {"accept-step": "accept"}).status_code == 400


def test_checks_tick_over_while_verifying_then_stop_polling(
    client, applicant, enterprise_applicant, django_capture_on_commit_callbacks
):
    application = new_application(applicant)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        drive(application, [("submit", "applicant", FACE)], {"applicant": applicant})
    client.force_login(applicant)
    fragment = client.get(f"/applications/{application.pk}/checks/").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'data-state="pending"' in fragment
    for callback in pending:  # the worker runs the checks
        callback()
    fragment = client.get(f"/applications/{application.pk}/checks/").content.decode()
    assert "hx-trigger" not in fragment and 'data-state="pending"' not in fragment
    assert f'href="/applications/{application.pk}/"' in fragment  # refresh for the new stage
    client.force_login(enterprise_applicant)
    assert client.get(f"/applications/{application.pk}/checks/").status_code == 404


def test_documents_are_asked_only_for_what_failed_and_uploaded_on_the_page(
    client, applicant, django_capture_on_commit_callbacks
):
    application = new_application(applicant)
    with django_capture_on_commit_callbacks(execute=True):  # no face consent: ID card asked
        drive(application, [("submit", "applicant", {})], {"applicant": applicant})
    application.refresh_from_db()
    assert application.state == "needs_documents" and application.documents_requested == ["id_card"]
    client.force_login(applicant)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert 'value="id_card"' in page and 'value="property_proof"' not in page
    url = f"/applications/{application.pk}/"
    bad = SimpleUploadedFile("id.pdf", b"not really a pdf", content_type="application/pdf")
    refused = client.post(f"{url}documents/", {"doc_type": "id_card", "file": bad})
    assert refused.status_code == 400 and 'id="id_file-error"' in refused.content.decode()
    good = SimpleUploadedFile("id.pdf", b"%PDF-1.7\n" + b"0" * 200, content_type="application/pdf")
    assert client.post(f"{url}documents/", {"doc_type": "id_card", "file": good}).status_code == 302
    taken = client.post(f"{url}steps/supply_documents/", {"supply_documents-step": "x"})
    assert taken.status_code == 302
    application.refresh_from_db()
    assert application.state == "pending_acceptance"


def test_the_page_shows_where_it_stands_who_holds_the_next_step_and_the_fee(
    client, applicant, engineer, django_capture_on_commit_callbacks
):
    application = new_application(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        drive(application, [("submit", "applicant", FACE)], {"applicant": applicant})
    client.force_login(applicant)
    url = f"/applications/{application.pk}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<li class="current" aria-current="step">Awaiting acceptance</li>' in page
    assert '<li class="done">Verifying records</li>' in page
    assert "the utility&#x27;s engineer" in page
    drive(
        application,
        [
            ("accept", "engineer", {}),
            ("schedule_survey", "applicant", {"slot": SLOT}),
            ("complete_survey", "engineer", {"line_length_m": 60}),
        ],
        {"applicant": applicant, "engineer": engineer},
    )
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="scheme"' in page and "¥0" in page and "external line 60 m" in page
    drive(application, [("confirm_scheme", "applicant", {})], {"applicant": applicant})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # 60 m: filed by commitment, shown in place of the permits stage; nothing skipped shows done.
    assert '<li class="current" aria-current="step">Commitment filing for the works</li>' in page
    assert '<li class="done">Permits for the works under approval</li>' not in page
    assert '<span id="next-holder">you</span>' in page
