"""Documents are encrypted on disk and read back whole by those who may download them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from applications.models import Application, Document
from tests.factories import ask_for
from tests.workflow import application_body

SCAN = b"%PDF-1.7\n% 370102199003071234 Zhang Wei identity card scan\n"


def test_an_uploaded_document_is_ciphertext_on_disk_and_downloads_in_clear(
    api, applicant, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    me = api(applicant)
    pk = me.post("/api/v1/applications/", application_body(), format="json").json()["id"]
    ask_for(Application.objects.get(pk=pk), "id_card")
    upload = SimpleUploadedFile("张伟身份证.pdf", SCAN, content_type="application/pdf")
    created = me.post(
        f"/api/v1/applications/{pk}/documents/", {"doc_type": "id_card", "file": upload}
    )
    assert created.status_code == 201, created.json()
    document = Document.objects.get(application_id=pk)
    on_disk = (tmp_path / document.file.name).read_bytes()
    assert b"370102199003071234" not in on_disk and b"PDF" not in on_disk
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM applications_document")
        assert "张伟" not in repr(cursor.fetchall())
    assert document.original_name == "张伟身份证.pdf"
    downloaded = me.get(f"/api/v1/applications/{pk}/documents/{document.pk}/")
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == SCAN
