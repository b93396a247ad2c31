"""The data migrations encrypt rows written before encryption, fill their keyed hashes, give
phone-number logins opaque names, minimise settled record checks, and go back again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from applications.models import Application
from govdata.models import RecordCheck
from portal.crypto import id_number_digest, phone_digest
from portal.models import User

BEFORE = [
    ("portal", "0001_initial"),
    ("applications", "0004_counter_mailing_rating"),
    ("govdata", "0002_record_checks"),
    ("notifications", "0002_alter_notification_kind_smscode"),
]
ID_NUMBER, PHONE, NAME = "370102199003071234", "13905310001", "张伟"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def raw_table(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return repr(cursor.fetchall())


def write_plain_rows(apps):
    division_model = apps.get_model("portal", "Division")
    county = division_model.objects.create(
        code="370102", name="历下区", name_en="Lixia", level="county"
    )
    user = apps.get_model("portal", "User").objects.create(
        username=f"m{PHONE}", first_name=NAME, phone=PHONE, customer_type="residential"
    )
    application = apps.get_model("applications", "Application").objects.create(
        number="GE-1", kind="new_connection", applicant_id=user.pk, customer_type="residential",
        applicant_name=NAME, id_number=ID_NUMBER, phone=PHONE, voltage="low",
        supply_county_id=county.pk, supply_address="历下区泉城路1号", channel="web",
        consent_version="1", consent_at=timezone.now(),
    )  # fmt: skip
    checks = apps.get_model("govdata", "RecordCheck").objects
    checks.create(
        application_id=application.pk, service="id_card", state="passed", document="id_card",
        request={"name": NAME, "id_number": ID_NUMBER}, result={"match": True},
    )  # fmt: skip
    checks.create(
        application_id=application.pk, service="face", state="unavailable", document="id_card",
        request={"id_number": ID_NUMBER, "photo": "data:image/jpeg;base64,AAAA"},
    )  # fmt: skip
    apps.get_model("notifications", "SmsCode").objects.create(
        phone=PHONE, purpose="sign_in", code_hash="x", expires_at=timezone.now()
    )
    return user.pk


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_encryption_are_encrypted_hashed_minimised_and_restored_backwards():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        user_id = write_plain_rows(migrate(BEFORE))
        migrate(leaves)
        for table in ("portal_user", "applications_application", "govdata_recordcheck"):
            rows = raw_table(table)
            assert PHONE not in rows and ID_NUMBER not in rows and NAME not in rows, table
        user = User.objects.get(pk=user_id)
        assert (user.phone, user.first_name) == (PHONE, NAME)
        assert PHONE not in user.username and user.username.startswith("a-")
        assert User.objects.get(phone_hash=phone_digest(PHONE)) == user
        application = Application.objects.get(id_number_hash=id_number_digest(ID_NUMBER))
        assert application.applicant_name == NAME
        for check in RecordCheck.objects.all():
            assert set(check.request) == {"subject"} and ID_NUMBER not in check.request["subject"]
        assert RecordCheck.objects.get(service="id_card").result == {"match": True}

        migrate(BEFORE)  # backwards: the values are plain again
        assert PHONE in raw_table("portal_user") and ID_NUMBER in raw_table(
            "applications_application"
        )
    finally:
        migrate(leaves)
