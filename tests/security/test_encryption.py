"""Findings of issue #12 about personal data at rest: clear-text ID numbers, phones and names;
record-check requests kept whole for ever; the face photo kept when the check ends unavailable;
usernames made of phone numbers. Each test reproduces the finding and shows it refused."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from applications.models import Application
from applications.services import application_transition
from govdata.mock.registry import DEMO_RESIDENT
from govdata.models import RecordCheck
from notifications.models import SmsMessage
from notifications.services import sms_notify
from portal.crypto import phone_digest
from portal.identity import identity_bind
from portal.masking import mask_id_number
from portal.models import IdentityBinding, OutboxMessage, User
from portal.outbox import outbox_relay
from tests.factories import make_account, new_application
from tests.helpers import sms_code
from tests.workflow import FACE, application_body, step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "gov_platform")]

RESIDENT = {"name": "张伟", "id_number": DEMO_RESIDENT, "phone": "13905310001"}
WALK_IN = {"name": "刘德明", "phone": "13905317777"}
HOLDER = {"name": "赵敏", "phone": "13905318888"}
TABLES = [
    "applications_application",
    "applications_electricityaccount",
    "govdata_recordcheck",
    "govdata_govcall",
    "portal_user",
    "notifications_smsmessage",
    "notifications_smscode",
    "portal_identitybinding",
    "portal_outboxmessage",
]


def signed_up_and_bound(client, clerk, callbacks):
    """The resident signs up by SMS and is bound to their identity at a counter."""
    resident = sign_in_by_sms(client, RESIDENT["phone"], callbacks)
    identity_bind(
        user=resident,
        name=RESIDENT["name"],
        id_number=RESIDENT["id_number"],
        method=IdentityBinding.Method.COUNTER,
        clerk=clerk,
    )
    return resident


def sign_in_by_sms(client, phone, callbacks):
    with callbacks(execute=True):
        client.post(
            "/accounts/sms/", {"phone": phone, "customer_type": "residential", "send_code": "1"}
        )
    signed = client.post(
        "/accounts/sms/", {"phone": phone, "customer_type": "residential", "code": sms_code(phone)}
    )
    assert signed.status_code == 302
    return User.objects.get(phone_hash=phone_digest(phone))


def raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return "\n".join(repr(row) for row in cursor.fetchall())


def file_realistic_applications(client, clerk, api, callbacks):
    """A resident signs up by SMS and files online with a face photo; a walk-in is registered
    and filed for at the counter; an account holder is on record."""
    resident = signed_up_and_bound(client, clerk, callbacks)
    me = api(resident)
    body = application_body(
        applicant_name=RESIDENT["name"], id_number=RESIDENT["id_number"], phone=RESIDENT["phone"]
    )
    created = me.post("/api/v1/applications/", body, format="json")
    assert created.status_code == 201, created.json()
    with callbacks(execute=True):
        step(me, created.json()["id"], "submit", **FACE)

    client.force_login(clerk)
    client.post(
        "/counter/register/",
        {"first_name": WALK_IN["name"], "phone": WALK_IN["phone"], "customer_type": "residential"},
    )
    walk_in = User.objects.get(phone_hash=phone_digest(WALK_IN["phone"]))
    make_account(walk_in, "37010200000009", HOLDER["name"], "历下区泉城路9号")
    return resident, walk_in


def test_id_numbers_phones_and_names_are_not_clear_text_in_the_database(
    client, clerk, api, django_capture_on_commit_callbacks
):
    resident, _walk_in = file_realistic_applications(
        client, clerk, api, django_capture_on_commit_callbacks
    )
    assert RecordCheck.objects.filter(application_id__isnull=False).exists()
    secrets = [*RESIDENT.values(), *WALK_IN.values(), *HOLDER.values()]
    for table in TABLES:
        rows = raw_rows(table)
        assert rows or table == "govdata_govcall", table
        for secret in secrets:
            assert secret not in rows, (table, secret)
    # What the code reads is still the person's data.
    application = Application.objects.get(applicant=resident)
    assert (application.applicant_name, application.id_number, application.phone) == (
        RESIDENT["name"],
        RESIDENT["id_number"],
        RESIDENT["phone"],
    )


def test_the_counter_still_finds_an_applicant_by_id_number(
    client, clerk, api, django_capture_on_commit_callbacks
):
    resident, walk_in = file_realistic_applications(
        client, clerk, api, django_capture_on_commit_callbacks
    )
    client.force_login(clerk)
    by_id = client.post("/counter/lookup/", {"q": RESIDENT["id_number"].lower()}).content.decode()
    assert f'data-user="{resident.pk}"' in by_id
    by_phone = client.post("/counter/lookup/", {"q": WALK_IN["phone"]}).content.decode()
    assert f'data-user="{walk_in.pk}"' in by_phone
    nobody = client.post("/counter/lookup/", {"q": "110101199003070000"}).content.decode()
    assert "data-user=" not in nobody


def test_record_check_requests_keep_only_a_masked_subject_once_settled(
    client, clerk, api, django_capture_on_commit_callbacks
):
    resident, _walk_in = file_realistic_applications(
        client, clerk, api, django_capture_on_commit_callbacks
    )
    application = Application.objects.get(applicant=resident)
    checks = RecordCheck.objects.filter(application_id=application.pk)
    assert checks and all(check.settled for check in checks)
    for check in checks:
        assert check.request == {"subject": mask_id_number(RESIDENT["id_number"])}
        assert check.request_id and check.response_sha256 and check.state == "passed"


def test_a_face_photo_is_deleted_when_the_face_check_ends_unavailable_even_after_withdrawal(
    applicant, gov_platform, django_capture_on_commit_callbacks
):
    gov_platform.unavailable = {"face"}
    application = new_application(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, name="submit", actor=applicant, payload=FACE
        )
    face = RecordCheck.objects.get(application_id=application.pk, service="face")
    for _ in range(5):  # the platform stays down through every retry
        OutboxMessage.objects.filter(state="pending").update(
            available_at=timezone.now(), dispatched_at=timezone.now() - timedelta(hours=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            outbox_relay()
    face.refresh_from_db()
    assert face.state == "unavailable"
    assert "photo" not in face.request

    # And a face check still waiting when the application is withdrawn keeps no photo either.
    gov_platform.unavailable = {"face"}
    other = new_application(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=other.pk, name="submit", actor=applicant, payload=FACE
        )
    application_transition(application_id=other.pk, name="withdraw", actor=applicant)
    for check in RecordCheck.objects.filter(application_id=other.pk):
        assert "photo" not in check.request and "id_number" not in check.request


def test_supervisors_masking_is_not_bypassed_by_a_username_made_of_the_phone(
    client, clerk, supervisor, api, django_capture_on_commit_callbacks
):
    resident = signed_up_and_bound(client, clerk, django_capture_on_commit_callbacks)
    assert RESIDENT["phone"] not in resident.username
    assert resident.username.startswith("a-")
    created = api(resident).post("/api/v1/applications/", application_body(), format="json")
    seen = api(supervisor).get(f"/api/v1/applications/{created.json()['id']}/")
    assert seen.status_code == 200
    assert RESIDENT["phone"] not in seen.content.decode()
    assert RESIDENT["phone"][-4:] in seen.json()["phone"]  # masked, not hidden


def test_an_sms_to_someone_without_an_account_keeps_no_phone_in_clear_in_the_outbox(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        sms_notify(phone=HOLDER["phone"], kind="filed_in_your_name", params={"number": "GE1"})
    assert OutboxMessage.objects.filter(handler__endswith="sms_deliver").exists()
    assert HOLDER["phone"] not in raw_rows("portal_outboxmessage")
    assert SmsMessage.objects.get().phone == HOLDER["phone"]  # delivered all the same
