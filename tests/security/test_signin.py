"""Findings of issue #12 about signing in, each reproduced as the attacker did it and refused."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from tests.factories import PASSWORD
from tests.helpers import authenticator

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def _login_page(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _admin_login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def _token(client, username, password):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password})


@pytest.mark.parametrize("sign_in", [_login_page, _admin_login, _token])
def test_staff_sign_in_has_no_throttle_no_lockout_and_no_second_factor(client, admin_user, sign_in):
    """30 wrong passwords, then the right one: refused (429), on each of the three paths."""
    admin_user.set_password(PASSWORD)
    admin_user.save()
    answers = [sign_in(client, admin_user.username, WRONG).status_code for _ in range(30)]
    assert 429 in answers and answers[-1] == 429
    right = sign_in(client, admin_user.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert not AuthToken.objects.filter(user=admin_user).exists()


@pytest.mark.parametrize("sign_in", [_login_page, _admin_login])
def test_staff_sign_in_with_the_right_password_alone_is_not_enough(
    client, admin_user, totp_required, sign_in
):
    """The second factor: with the password alone, nothing but the second-factor page opens."""
    admin_user.set_password(PASSWORD)
    admin_user.save()
    authenticator(admin_user)
    sign_in(client, admin_user.username, PASSWORD)
    for path in ("/admin/", "/workbench/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/two-factor/"
        )
    assert client.get("/api/v1/me/").status_code == 403


def test_staff_token_needs_the_second_factor_too(client, clerk, totp_required):
    authenticator(clerk)
    response = _token(client, clerk.username, PASSWORD)
    assert response.status_code == 400 and "otp_token" in response.json()
    assert not AuthToken.objects.exists()


def test_api_tokens_are_stored_raw_never_expire_and_survive_sign_out(client, applicant):
    token = _token(client, applicant.username, PASSWORD).json()["token"]
    signed = {"HTTP_AUTHORIZATION": f"Token {token}"}
    row = AuthToken.objects.get(user=applicant)
    # Stored as a digest only: the token is in no column.
    assert token not in {row.digest, row.token_key} and row.token_key == token[:15]
    assert client.get("/api/v1/me/", **signed).status_code == 200
    # It expires.
    assert row.expiry <= timezone.now() + timedelta(hours=10)
    with time_machine.travel(timezone.now() + timedelta(hours=10, minutes=1)):
        assert client.get("/api/v1/me/", **signed).status_code == 401
    # It is revoked at sign-out.
    token = _token(client, applicant.username, PASSWORD).json()["token"]
    signed = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.post("/api/v1/auth/logout/", **signed).status_code == 204
    assert client.get("/api/v1/me/", **signed).status_code == 401


def test_staff_sessions_last_14_days_with_no_idle_timeout(client, clerk, applicant):
    """A clerk's session ends after 30 idle minutes; an applicant's does not."""
    resident = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(clerk)
        resident.force_login(applicant)
        assert client.get("/counter/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/counter/").status_code == 200  # active: the clock starts again
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get("/counter/")
        assert resident.get("/applications/").status_code == 200
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
