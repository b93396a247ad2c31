"""Signing in: lockout (django-axes), the staff second factor (django-otp), idle staff sessions
and the API's tokens (django-rest-knox)."""

import logging
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from tests.factories import PASSWORD, UserFactory
from tests.helpers import authenticator, totp_code

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def token_for(client, username, password=PASSWORD, **fields):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password, **fields}
    )


# --- Lockout -------------------------------------------------------------------------------


def test_the_sixth_wrong_password_locks_the_account_and_is_logged(client, clerk, caplog):
    caplog.set_level(logging.WARNING, logger="portal.signin")
    answers = [sign_in(client, clerk.username, WRONG).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    locked = sign_in(client, clerk.username)
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    assert "15" in locked.content.decode()
    assert "Sign-in locked out: username=t_clerk" in caplog.text
    assert AccessFailureLog.objects.filter(username=clerk.username).count() >= 6
    assert AccessAttempt.objects.filter(username=clerk.username).exists()


def test_the_lock_is_per_address_too(client, clerk):
    others = [UserFactory(username=f"t_other{n}") for n in range(6)]
    for other in others:
        sign_in(client, other.username, WRONG)
    assert sign_in(client, clerk.username).status_code == 429
    # Another address still signs the clerk in.
    assert sign_in(client, clerk.username, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(6):
            sign_in(client, clerk.username, WRONG)
        assert sign_in(client, clerk.username).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert sign_in(client, clerk.username).status_code == 302


def test_a_locked_token_request_is_a_bilingual_problem(client, applicant):
    for _ in range(6):
        response = token_for(client, applicant.username, WRONG)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 429 and "Try again in 15 minutes" in body["detail"]
    assert "15 分钟" in body["detail"]
    assert token_for(client, applicant.username).status_code == 429


def test_a_wrong_token_password_is_a_field_error(client, applicant):
    response = token_for(client, applicant.username, WRONG)
    assert response.status_code == 400 and "non_field_errors" in response.json()


# --- Second factor ---------------------------------------------------------------------------


def test_a_staff_login_without_an_authenticator_sets_one_up(client, clerk, totp_required):
    response = sign_in(client, clerk.username)
    assert client.get(response["Location"])["Location"].startswith("/accounts/two-factor/setup/")
    page = client.get("/accounts/two-factor/setup/?next=/counter/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    assert page.context["secret"] in device.config_url
    qr = client.get("/accounts/two-factor/setup/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000", "next": "/counter/"})
    assert wrong.status_code == 400
    right = client.post(
        "/accounts/two-factor/setup/", {"code": totp_code(device), "next": "/counter/"}
    )
    assert right.status_code == 302 and right["Location"] == "/counter/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/counter/").status_code == 200


def test_a_staff_login_with_an_authenticator_gives_its_code(client, clerk, totp_required):
    device = authenticator(clerk)
    sign_in(client, clerk.username)
    response = client.get("/counter/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Fcounter%2F"
    # Setting up another authenticator is no way around the one there is.
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/accounts/two-factor/"
    assert client.get("/accounts/two-factor/setup/qr.svg").status_code == 404
    assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 400
    right = client.post(
        "/accounts/two-factor/", {"code": totp_code(device), "next": "https://evil.example/"}
    )
    assert right.status_code == 302 and right["Location"] == "/workbench/"
    assert client.get("/counter/").status_code == 200


def test_wrong_totp_codes_count_toward_the_lockout(client, clerk, totp_required):
    device = authenticator(clerk)
    sign_in(client, clerk.username)
    answers = [
        client.post("/accounts/two-factor/", {"code": "000000"}).status_code for _ in range(6)
    ]
    assert answers == [400] * 5 + [429]
    assert "_auth_user_id" not in client.session  # the half-finished sign-in ended
    assert sign_in(client, clerk.username).status_code == 429
    assert token_for(client, clerk.username, otp_token=totp_code(device)).status_code == 429


def test_applicants_sign_in_without_a_second_factor(client, applicant, totp_required):
    client.force_login(applicant)
    assert client.get("/applications/").status_code == 200


def test_the_second_factor_pages_need_a_sign_in(client):
    for path in ("/accounts/two-factor/", "/accounts/two-factor/setup/"):
        assert client.get(path)["Location"].startswith("/accounts/login/")


def test_applicants_have_no_second_factor_pages(client, applicant, totp_required):
    client.force_login(applicant)
    for path in (
        "/accounts/two-factor/",
        "/accounts/two-factor/setup/",
        "/accounts/two-factor/setup/qr.svg",
    ):
        assert client.get(path).status_code == 404
    assert not TOTPDevice.objects.exists()


def test_a_staff_token_with_the_right_code(client, clerk, totp_required):
    device = authenticator(clerk)
    assert token_for(client, clerk.username, otp_token="000000").status_code == 400
    response = token_for(client, clerk.username, otp_token=totp_code(device))
    assert response.status_code == 200 and response.json()["token"]


def test_a_staff_login_without_an_authenticator_gets_no_token(client, clerk, totp_required):
    response = token_for(client, clerk.username, otp_token="123456")
    assert response.status_code == 400 and "otp_token" in response.json()


def test_second_factor_is_off_by_default_outside_production(client, clerk, settings):
    assert settings.SIGNIN_TOTP_REQUIRED is False
    sign_in(client, clerk.username)
    assert client.get("/counter/").status_code == 200


def test_demo_staff_logins_have_authenticators_and_their_secrets_are_printed(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    devices = TOTPDevice.objects.filter(confirmed=True).select_related("user")
    assert {d.user.username for d in devices} >= {"clerk", "engineer", "supervisor", "admin"}
    assert not devices.filter(user__username__in=["resident", "enterprise"]).exists()
    assert devices.count() == 9  # kept, not made again, on the second run
    clerk_device = devices.get(user__username="clerk")
    assert clerk_device.config_url in out


# --- Idle staff sessions -------------------------------------------------------------------


def test_a_staff_session_cookie_expires_with_the_idle_timeout(client, clerk):
    client.force_login(clerk)
    client.get("/counter/")
    assert 29 * 60 < client.session.get_expiry_age() <= 30 * 60


# --- Tokens ----------------------------------------------------------------------------------


def _tokens(user, n):
    return [AuthToken.objects.create(user=user)[1] for _ in range(n)]


def test_owners_list_their_tokens_without_the_token(api, applicant, supervisor):
    mine = _tokens(applicant, 2)
    _tokens(supervisor, 1)
    body = api(applicant).get("/api/v1/auth/tokens/").json()
    assert sorted(t["prefix"] for t in body) == sorted(t[:15] for t in mine)
    assert set(body[0]) == {"prefix", "created", "expiry"}
    assert api().get("/api/v1/auth/tokens/").status_code == 401


def test_owners_revoke_their_own_tokens_only(api, applicant, supervisor):
    mine = _tokens(applicant, 1)[0]
    theirs = _tokens(supervisor, 1)[0]
    assert api(applicant).delete(f"/api/v1/auth/tokens/{theirs[:15]}/").status_code == 404
    assert AuthToken.objects.filter(user=supervisor).exists()
    assert api(applicant).delete(f"/api/v1/auth/tokens/{mine[:15]}/").status_code == 204
    assert not AuthToken.objects.filter(user=applicant).exists()
    assert api(applicant).delete(f"/api/v1/auth/tokens/{mine[:15]}/").status_code == 404
    assert api().delete(f"/api/v1/auth/tokens/{theirs[:15]}/").status_code == 401


def test_sign_out_everywhere_revokes_every_token(client, applicant, supervisor):
    first, _second = _tokens(applicant, 2)
    _tokens(supervisor, 1)
    signed = {"HTTP_AUTHORIZATION": f"Token {first}"}
    assert client.post("/api/v1/auth/logoutall/", **signed).status_code == 204
    assert not AuthToken.objects.filter(user=applicant).exists()
    assert AuthToken.objects.filter(user=supervisor).exists()
    assert client.post("/api/v1/auth/logoutall/", **signed).status_code == 401


def test_sign_out_needs_the_token(client, applicant):
    _tokens(applicant, 1)
    assert client.post("/api/v1/auth/logout/").status_code == 401
    client.force_login(applicant)  # a session is not a token to revoke
    assert client.post("/api/v1/auth/logout/").status_code == 401
    assert AuthToken.objects.filter(user=applicant).exists()


def test_old_raw_tokens_are_refused(client):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token " + "a" * 40)
    assert response.status_code == 401
