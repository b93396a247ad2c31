"""Applicants sign up and sign in with a mobile number and an SMS code."""

import pytest

from notifications.models import SmsMessage
from portal.crypto import phone_digest
from portal.models import Role, User
from tests.factories import make_user
from tests.helpers import sms_code

pytestmark = pytest.mark.django_db


def send(client, phone, callbacks, **extra):
    with callbacks(execute=True):
        return client.post(
            "/accounts/sms/",
            {"phone": phone, "customer_type": "residential", "send_code": "1", **extra},
        )


def test_first_sign_in_creates_the_applicant_and_a_second_finds_them(
    client, django_capture_on_commit_callbacks
):
    assert send(client, "13912340001", django_capture_on_commit_callbacks).status_code == 200
    signed = client.post(
        "/accounts/sms/",
        {"phone": "139 1234 0001", "customer_type": "enterprise", "code": sms_code()},
    )
    assert signed.status_code == 302
    user = User.objects.get(phone_hash=phone_digest("13912340001"))
    assert user.role == Role.APPLICANT and user.customer_type == "enterprise"
    assert not user.has_usable_password()
    client.logout()
    SmsMessage.objects.all().delete()
    from notifications.models import SmsCode

    SmsCode.objects.update(created_at="2000-01-01T00:00:00Z")  # the minute has passed
    send(client, "13912340001", django_capture_on_commit_callbacks)
    client.post(
        "/accounts/sms/",
        {"phone": "13912340001", "customer_type": "residential", "code": sms_code()},
    )
    assert User.objects.filter(phone_hash=phone_digest("13912340001")).count() == 1


def test_bad_number_wrong_code_and_staff_numbers_are_refused(
    client, django_capture_on_commit_callbacks, jinan
):
    bad = send(client, "12345", django_capture_on_commit_callbacks)
    assert bad.status_code == 400 and 'id="id_phone-error"' in bad.content.decode()
    assert not SmsMessage.objects.exists()
    send(client, "13912340002", django_capture_on_commit_callbacks)
    wrong = client.post(
        "/accounts/sms/",
        {
            "phone": "13912340002",
            "customer_type": "residential",
            "code": "000000" if sms_code() != "000000" else "111111",
        },
    )
    assert wrong.status_code == 400 and 'id="id_code-error"' in wrong.content.decode()
    assert "13912340002" in wrong.content.decode()  # what was typed is kept
    make_user("t_eng_phone", Role.ENGINEER, division=jinan, phone="13912340003")
    send(client, "13912340003", django_capture_on_commit_callbacks)
    staff = client.post(
        "/accounts/sms/",
        {"phone": "13912340003", "customer_type": "residential", "code": sms_code()},
    )
    assert staff.status_code == 400 and "_auth_user_id" not in client.session


def test_codes_are_limited_per_number_and_per_address(client, django_capture_on_commit_callbacks):
    send(client, "13912340004", django_capture_on_commit_callbacks)
    again = send(client, "13912340004", django_capture_on_commit_callbacks)
    assert again.status_code == 400 and SmsMessage.objects.count() == 1
    for n in range(5, 14):
        send(client, f"139123400{n:02d}", django_capture_on_commit_callbacks)
    flooded = send(client, "13912340099", django_capture_on_commit_callbacks)
    assert flooded.status_code == 400
    assert all(m.phone != "13912340099" for m in SmsMessage.objects.all())
