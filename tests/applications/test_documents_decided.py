"""Documents where decisions are made: only the documents asked for are taken; the engineer's
and the counter's pages list what was asked, received (previewed inline) and missing; the
counter uploads on the applicant's behalf; previews are for the people on the case only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application, Document
from portal.models import PersonalDataAccess, Role, ServiceHall
from tests.factories import JINAN_HALL, make_user
from tests.workflow import application_body, step

pytestmark = pytest.mark.django_db

# A tiny real PNG: the title proof the buyer photographed.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def png(name="房产证.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + b"0" * 200, content_type="application/pdf")


def upload(client, application, doc_type, file):
    return client.post(
        f"/api/v1/applications/{application.pk}/documents/", {"doc_type": doc_type, "file": file}
    )


def preview_url(application, document) -> str:
    return f"/applications/{application.pk}/documents/{document.pk}/preview/"


def test_a_document_type_not_asked_for_is_refused_by_the_api_naming_the_field(
    api, applicant, transfer_asking_title
):
    refused = upload(api(applicant), transfer_asking_title, "id_card", pdf())
    assert refused.status_code == 400
    assert "Property title or registered lease" in refused.json()["doc_type"][0]
    assert upload(api(applicant), transfer_asking_title, "other", pdf()).status_code == 400
    assert upload(api(applicant), transfer_asking_title, "nonsense", pdf()).status_code == 400
    assert not Document.objects.exists()
    assert upload(api(applicant), transfer_asking_title, "property_proof", png()).status_code == 201


def test_nothing_is_taken_when_nothing_was_asked_for(api, applicant):
    created = api(applicant).post("/api/v1/applications/", application_body(), format="json")
    application = Application.objects.get(pk=created.json()["id"])
    refused = upload(api(applicant), application, "id_card", pdf())
    assert refused.status_code == 400 and "checked online" in refused.json()["doc_type"][0]


def test_the_page_refuses_a_document_not_asked_for_beside_its_field(
    client, applicant, transfer_asking_title
):
    client.force_login(applicant)
    page = client.get(f"/applications/{transfer_asking_title.pk}/").content.decode()
    assert 'value="property_proof"' in page and 'value="id_card"' not in page
    refused = client.post(
        f"/applications/{transfer_asking_title.pk}/documents/",
        {"doc_type": "id_card", "file": pdf()},
    )
    assert refused.status_code == 400 and 'id="id_doc_type-error"' in refused.content.decode()
    assert not Document.objects.exists()


def test_the_engineer_sees_and_previews_the_title_proof_before_accepting(
    client, api, applicant, engineer, transfer_asking_title
):
    client.force_login(engineer)
    before = client.get(f"/engineer/applications/{transfer_asking_title.pk}/").content.decode()
    assert 'data-doc-type="property_proof" data-received="no"' in before
    assert 'id="documents-missing"' in before

    assert upload(api(applicant), transfer_asking_title, "property_proof", png()).status_code == 201
    step(api(applicant), transfer_asking_title.pk, "supply_documents")
    document = Document.objects.get()
    page = client.get(f"/engineer/applications/{transfer_asking_title.pk}/").content.decode()
    assert 'data-doc-type="property_proof" data-received="yes"' in page
    assert f'<img src="{preview_url(transfer_asking_title, document)}"' in page
    assert 'id="documents-missing"' not in page
    assert f'data-uploaded-by="{applicant.pk}"' in page

    shown = client.get(preview_url(transfer_asking_title, document))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert b"".join(shown.streaming_content) == PNG  # decrypted as on download
    logged = PersonalDataAccess.objects.filter(actor=engineer, what="document_preview").get()
    assert (logged.application_id, logged.subject_id) == (transfer_asking_title.pk, applicant.pk)


def test_a_pdf_is_previewed_in_a_frame_of_the_portals_own_page(
    client, api, applicant, engineer, transfer_asking_title
):
    assert upload(api(applicant), transfer_asking_title, "property_proof", pdf()).status_code == 201
    document = Document.objects.get()
    client.force_login(engineer)
    page = client.get(f"/engineer/applications/{transfer_asking_title.pk}/").content.decode()
    assert f'<iframe src="{preview_url(transfer_asking_title, document)}"' in page
    shown = client.get(preview_url(transfer_asking_title, document))
    assert shown["Content-Type"] == "application/pdf"
    assert shown["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in shown["Content-Security-Policy"]


def test_a_preview_is_404_to_everyone_off_the_case(
    client,
    api,
    applicant,
    enterprise_applicant,
    holder,
    supervisor,
    outsider,
    approver,
    transfer_asking_title,
):
    assert upload(api(applicant), transfer_asking_title, "property_proof", png()).status_code == 201
    url = preview_url(transfer_asking_title, Document.objects.get())
    client.force_login(applicant)
    assert client.get(url).status_code == 200  # their own
    assert (
        f'href="{url}"' in client.get(f"/applications/{transfer_asking_title.pk}/").content.decode()
    )
    for person in (outsider, enterprise_applicant, supervisor, approver, holder):
        client.force_login(person)
        assert client.get(url).status_code == 404, person.username
    client.logout()
    assert client.get(url).status_code == 302  # to sign in
    assert not PersonalDataAccess.objects.filter(what="document_preview").exists()


def test_the_counter_sees_what_is_missing_and_uploads_it_for_the_applicant(
    client, clerk, applicant, transfer_asking_title
):
    client.force_login(clerk)
    page = client.get(f"/counter/applications/{transfer_asking_title.pk}/").content.decode()
    assert 'data-doc-type="property_proof" data-received="no"' in page
    assert f'action="/counter/applications/{transfer_asking_title.pk}/documents/"' in page
    not_asked = client.post(
        f"/counter/applications/{transfer_asking_title.pk}/documents/",
        {"doc_type": "id_card", "file": pdf()},
    )
    assert not_asked.status_code == 400 and 'id="id_doc_type-error"' in not_asked.content.decode()
    done = client.post(
        f"/counter/applications/{transfer_asking_title.pk}/documents/",
        {"doc_type": "property_proof", "file": png()},
    )
    assert done.status_code == 302
    document = Document.objects.get()
    assert document.uploaded_by == clerk and document.application_id == transfer_asking_title.pk
    page = client.get(f"/counter/applications/{transfer_asking_title.pk}/").content.decode()
    assert 'data-received="yes"' in page and f'data-uploaded-by="{clerk.pk}"' in page
    assert clerk.username in page
    assert client.get(preview_url(transfer_asking_title, document)).status_code == 200
    # The clerk sends it on for acceptance, as the applicant would.
    sent = client.post(
        f"/counter/applications/{transfer_asking_title.pk}/steps/supply_documents/",
        {"supply_documents-step": "x"},
    )
    assert sent.status_code == 302
    transfer_asking_title.refresh_from_db()
    assert transfer_asking_title.state == "pending_acceptance"


def test_a_clerk_of_another_hall_neither_sees_nor_uploads(client, transfer_asking_title):
    other_hall = ServiceHall.objects.exclude(code=JINAN_HALL).first()
    stranger = make_user("t_clerk_elsewhere", Role.CLERK, service_hall=other_hall)
    client.force_login(stranger)
    assert client.get(f"/counter/applications/{transfer_asking_title.pk}/").status_code == 404
    refused = client.post(
        f"/counter/applications/{transfer_asking_title.pk}/documents/",
        {"doc_type": "property_proof", "file": png()},
    )
    assert refused.status_code in (403, 404)
    assert not Document.objects.exists()


def test_an_engineer_cannot_upload_and_a_supervisor_cannot_download(
    api, applicant, engineer, supervisor, transfer_asking_title
):
    assert upload(api(engineer), transfer_asking_title, "property_proof", png()).status_code == 403
    assert upload(api(applicant), transfer_asking_title, "property_proof", png()).status_code == 201
    url = f"/api/v1/applications/{transfer_asking_title.pk}/documents/{Document.objects.get().pk}/"
    assert api(supervisor).get(url).status_code == 404
