"""Bad input: 400 naming the field, in the request's language; nothing created or changed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application, Document
from tests.factories import ask_for, bad_id, new_application
from tests.workflow import application_body

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": "bad"}, "id_number"),
        ({"id_number": "BAD_ID"}, "id_number"),
        ({"customer_type": "enterprise", "credit_code": "91370102MA3C4R5X1A"}, "credit_code"),
        ({"capacity_kva": "0"}, "capacity_kva"),
        ({"capacity_kva": "99999"}, "capacity_kva"),
        ({"voltage": "high", "capacity_kva": "10"}, "capacity_kva"),
        ({"supply_county": "110101"}, "supply_county"),  # Beijing: outside the province
        ({"supply_county": "370100"}, "supply_county"),  # a city, not a county-level division
        ({"data_sharing_consent": False}, "data_sharing_consent"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "053188888888"}, "phone"),  # a landline
        ({"kind": "transfer", "account_number": ""}, "account_number"),
        ({"kind": "capacity_increase", "account_number": "nope"}, "account_number"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(api, applicant, overrides, field):
    if overrides.get("id_number") == "BAD_ID":
        overrides = {"id_number": bad_id()}
    response = api(applicant).post(
        "/api/v1/applications/", application_body(**overrides), format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert Application.objects.count() == 0


def test_missing_consent_is_a_field_error_too(api, applicant):
    body = application_body()
    del body["data_sharing_consent"]
    response = api(applicant).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400 and "data_sharing_consent" in response.json()


def test_errors_come_in_the_requests_language(api, applicant):
    body = application_body(id_number=bad_id())
    english = api(applicant, language="en").post("/api/v1/applications/", body, format="json")
    chinese = api(applicant, language="zh-hans").post("/api/v1/applications/", body, format="json")
    assert "not a valid resident ID number" in english.json()["id_number"][0]
    assert "身份证号码" in chinese.json()["id_number"][0]


def upload(client, application, name, content, doc_type="id_card"):
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(
        f"/api/v1/applications/{application.pk}/documents/", {"doc_type": doc_type, "file": file}
    )


def test_a_file_disguised_by_its_name_is_refused(api, applicant):
    application = ask_for(new_application(applicant), "id_card")
    response = upload(api(applicant), application, "scan.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400 and "file" in response.json()
    assert Document.objects.count() == 0


def test_an_oversize_file_is_refused(api, applicant, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    application = ask_for(new_application(applicant), "id_card")
    response = upload(api(applicant), application, "scan.pdf", b"%PDF-1.7" + b"0" * 2000)
    assert response.status_code == 400 and "file" in response.json()
    assert Document.objects.count() == 0


def test_real_pdf_jpeg_and_png_are_accepted_whatever_their_names(api, applicant):
    application = ask_for(new_application(applicant), "id_card")
    client = api(applicant)
    for name, content, kind in [
        ("a.bin", b"%PDF-1.4\n", "application/pdf"),
        ("b.pdf", b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
        ("c", b"\x89PNG\r\n\x1a\n....", "image/png"),
    ]:
        response = upload(client, application, name, content)
        assert response.status_code == 201 and response.json()["content_type"] == kind


def test_documents_are_served_only_to_those_who_may_see_the_application(
    api, applicant, engineer, outsider
):
    application = ask_for(new_application(applicant), "id_card")
    document = upload(api(applicant), application, "scan.pdf", b"%PDF-1.7 secret").json()
    url = f"/api/v1/applications/{application.pk}/documents/{document['id']}/"
    own = api(applicant).get(url)
    assert own.status_code == 200 and b"".join(own.streaming_content) == b"%PDF-1.7 secret"
    assert api(engineer).get(url).status_code == 200
    assert api(outsider).get(url).status_code == 404
    assert api().get(url).status_code == 401
    assert upload(api(outsider), application, "x.pdf", b"%PDF-").status_code == 404
    assert upload(api(engineer), application, "x.pdf", b"%PDF-").status_code == 403
