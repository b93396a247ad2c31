"""Personal data at rest: keyed hashes for look-ups, key rotation, admin search by hash."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from applications.models import Document
from portal.crypto import id_number_digest, phone_digest
from portal.models import User
from tests.factories import UserFactory, new_application

pytestmark = pytest.mark.django_db


def raw(table: str, column: str, pk: int) -> str:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def test_keyed_hashes_normalise_what_people_type():
    assert id_number_digest("37010219900307123x") == id_number_digest(" 37010219900307123X")
    assert phone_digest("+86 139-0531-0001") == phone_digest("13905310001")
    assert phone_digest("13905310001") != phone_digest("13905310002")
    assert id_number_digest("") == phone_digest("") == ""
    # One kind's hash never finds another kind's value.
    assert id_number_digest("13905310001") != phone_digest("13905310001")


def test_the_hash_key_is_its_own(settings):
    before = phone_digest("13905310001")
    settings.PERSONAL_DATA_HASH_KEY = "another-key"
    assert phone_digest("13905310001") != before


def test_rotation_re_encrypts_rows_and_documents_under_the_newest_key(
    settings, reference_data, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(first_name="张伟", phone="13905310001")
    application = new_application(user)
    document = Document(
        application=application, doc_type="id_card", content_type="application/pdf", size=9,
        original_name="id.pdf", uploaded_by=user,
    )  # fmt: skip
    document.file.save("id.pdf", ContentFile(b"%PDF-secret"), save=True)
    old_token = raw("portal_user", "phone", user.pk)
    old_file = (tmp_path / document.file.name).read_bytes()

    settings.SALT_KEY = ["the-new-key", *settings.SALT_KEY]
    call_command("rotate_personal_data_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert raw("portal_user", "phone", user.pk) != old_token
    assert (tmp_path / document.file.name).read_bytes() != old_file

    settings.SALT_KEY = ["the-new-key"]  # the old key dropped: everything still reads
    user = User.objects.get(pk=user.pk)
    assert (user.phone, user.first_name) == ("13905310001", "张伟")
    assert Document.objects.get(pk=document.pk).file.open("rb").read() == b"%PDF-secret"
    assert User.objects.filter(phone_hash=phone_digest("13905310001")).get() == user


def test_an_old_key_alone_cannot_read_what_the_new_key_wrote(settings, reference_data):
    settings.SALT_KEY = ["the-new-key", *settings.SALT_KEY]
    user = UserFactory(phone="13905310001")
    settings.SALT_KEY = settings.SALT_KEY[1:]
    assert User.objects.get(pk=user.pk).phone != "13905310001"


def test_the_admin_finds_a_user_by_the_whole_phone(admin_client, reference_data):
    user = UserFactory(username="t_someone", phone="13905310001")
    found = admin_client.get("/admin/portal/user/", {"q": "13905310001"}).content.decode()
    assert f"/admin/portal/user/{user.pk}/change/" in found
    missed = admin_client.get("/admin/portal/user/", {"q": "13905310002"}).content.decode()
    assert f"/admin/portal/user/{user.pk}/change/" not in missed


def test_a_document_stored_before_encryption_still_opens_and_rotation_encrypts_it(
    settings, reference_data, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory()
    document = Document.objects.create(
        application=new_application(user), doc_type="id_card", content_type="application/pdf",
        size=9, original_name="id.pdf", uploaded_by=user, file="documents/old",
    )  # fmt: skip
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "old").write_bytes(b"%PDF-old")
    assert document.file.open("rb").read() == b"%PDF-old"
    call_command("rotate_personal_data_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert b"PDF" not in (tmp_path / "documents" / "old").read_bytes()
    assert Document.objects.get(pk=document.pk).file.open("rb").read() == b"%PDF-old"
