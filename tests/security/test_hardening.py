"""The hardening findings of issue #12, each reproduced as the attack and shown refused."""

import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from applications.models import Application
from govdata.client import PlatformUnavailable
from govdata.mock import registry as reg
from govdata.models import GovCall
from notifications.models import SmsMessage
from portal.models import Role
from tests.factories import make_user, new_application
from tests.helpers import PRODUCTION_ENV, manage, sms_code, sms_messages_to
from tests.workflow import application_body

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BALANCER = "10.0.0.5"


def ask_code(client, phone, callbacks, *, client_address="203.0.113.7"):
    with callbacks(execute=True):
        return client.post(
            "/accounts/sms/",
            {"phone": phone, "customer_type": "residential", "send_code": "1"},
            REMOTE_ADDR=BALANCER,
            HTTP_X_FORWARDED_FOR=client_address,
        )


# --- Medium -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example"]
)
def test_open_redirect_after_sms_sign_in_is_refused(
    client, django_capture_on_commit_callbacks, target
):
    ask_code(client, "13912345678", django_capture_on_commit_callbacks)
    response = client.post(
        f"/accounts/sms/?next={target}",
        {"phone": "13912345678", "customer_type": "residential", "code": sms_code()},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert client.get("/").wsgi_request.user.is_authenticated


def test_production_refuses_to_start_with_the_development_sms_backend():
    for backend in ("notifications.backends.DevelopmentBackend", ""):
        result = manage("check", "--deploy", **{**PRODUCTION_ENV, "SMS_BACKEND": backend})
        assert result.returncode != 0
        assert "SMS_BACKEND must name a real SMS gateway" in result.stderr


def test_production_check_deploy_with_a_real_sms_gateway_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_sms_codes_are_never_written_to_the_log_nor_shown_in_the_admin_in_production(
    client, admin_client, django_capture_on_commit_callbacks, caplog, settings
):
    with caplog.at_level(logging.DEBUG):
        ask_code(client, "13912345678", django_capture_on_commit_callbacks)
    code = sms_code()
    assert code not in caplog.text
    assert "******" in caplog.text
    settings.DEBUG = False
    message = SmsMessage.objects.get()
    for url in (
        "/admin/notifications/smsmessage/",
        f"/admin/notifications/smsmessage/{message.pk}/change/",
    ):
        page = admin_client.get(url).content.decode()
        assert code not in page


def test_sms_send_limit_is_per_real_client_not_per_load_balancer(
    client, trusted_proxies, django_capture_on_commit_callbacks
):
    """Everyone reaches the portal through the balancer: one person asking for many codes
    blocks only their own address, not the province's SMS sign-in."""
    for n in range(10):
        ask_code(client, f"139123400{n:02d}", django_capture_on_commit_callbacks)
    blocked = ask_code(client, "13912340050", django_capture_on_commit_callbacks)
    assert blocked.status_code == 400
    assert not sms_messages_to("13912340050")
    someone_else = ask_code(
        client, "13912340051", django_capture_on_commit_callbacks, client_address="198.51.100.9"
    )
    assert someone_else.status_code == 200
    assert sms_messages_to("13912340051")


def test_sms_send_limit_is_per_number_too(
    client, trusted_proxies, django_capture_on_commit_callbacks
):
    """Asking from ever new addresses does not flood one number: five codes an hour."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(5):
            ask_code(client, "13912340060", django_capture_on_commit_callbacks,
                     client_address=f"198.51.100.{n + 1}")  # fmt: skip
            clock.shift(timedelta(seconds=61))
        flooded = ask_code(
            client, "13912340060", django_capture_on_commit_callbacks, client_address="192.0.2.1"
        )
    assert flooded.status_code == 400
    assert len(sms_messages_to("13912340060")) == 5


def test_a_forged_forwarded_for_from_outside_the_trusted_proxies_is_ignored(
    client, trusted_proxies, django_capture_on_commit_callbacks
):
    """A client that writes X-Forwarded-For itself does not get a fresh bucket per header."""
    for n in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/accounts/sms/",
                {"phone": f"139123401{n:02d}", "customer_type": "residential", "send_code": "1"},
                REMOTE_ADDR="203.0.113.7",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            )
    response = client.post(
        "/accounts/sms/",
        {"phone": "13912340199", "customer_type": "residential", "send_code": "1"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 400


# --- Low --------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_refused_with_400_not_a_500(api, applicant, depth):
    body = "[" * depth + "]" * depth
    response = api(applicant).post("/api/v1/applications/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "request body" in response.json()["detail"]


def test_idempotency_key_with_a_different_body_is_a_422(api, applicant, reference_data):
    client = api(applicant)
    first = client.post(
        "/api/v1/applications/", application_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    other = client.post(
        "/api/v1/applications/",
        application_body(capacity_kva="20"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert first.status_code == 201
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert "Idempotency-Key" in other.json()["detail"]
    assert Application.objects.count() == 1


def test_idempotency_keys_are_not_cut_so_long_keys_do_not_collide(api, applicant, reference_data):
    client = api(applicant)
    shared = "k" * 150
    first = client.post(
        "/api/v1/applications/", application_body(), format="json",
        HTTP_IDEMPOTENCY_KEY=shared + "-first",
    )  # fmt: skip
    second = client.post(
        "/api/v1/applications/", application_body(capacity_kva="20"), format="json",
        HTTP_IDEMPOTENCY_KEY=shared + "-second",
    )  # fmt: skip
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


def test_idempotency_key_over_255_characters_is_refused_naming_the_header(
    api, applicant, reference_data
):
    response = api(applicant).post(
        "/api/v1/applications/", application_body(), format="json", HTTP_IDEMPOTENCY_KEY="k" * 256
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Application.objects.exists()


def test_a_clerk_reusing_a_key_for_another_applicant_does_not_get_the_others_application(
    api, clerk, applicant, reference_data
):
    other = make_user("t_other_resident", Role.APPLICANT, phone="13905310002")
    client = api(clerk)
    first = client.post(
        "/api/v1/applications/", application_body(applicant=applicant.pk), format="json",
        HTTP_IDEMPOTENCY_KEY="walk-in",
    )  # fmt: skip
    reused = client.post(
        "/api/v1/applications/", application_body(applicant=other.pk), format="json",
        HTTP_IDEMPOTENCY_KEY="walk-in",
    )  # fmt: skip
    assert first.status_code == 201, first.json()
    assert reused.status_code == 422
    assert str(first.json()["id"]) not in reused.content.decode()
    # Keys are the caller's own: the applicant's "walk-in" is another key.
    own = api(applicant).post(
        "/api/v1/applications/", application_body(), format="json", HTTP_IDEMPOTENCY_KEY="walk-in"
    )
    assert own.status_code == 201 and own.json()["id"] != first.json()["id"]


def test_progress_lookup_is_throttled_per_application_number(client, applicant, reference_data):
    application = new_application(applicant)
    wrong = "000000" if application.check_code != "000000" else "111111"
    for n in range(10):
        guess = client.get(
            "/progress/", {"number": application.number, "check_code": wrong},
            REMOTE_ADDR=f"198.51.100.{n}",
        )  # fmt: skip
        assert guess.status_code == 200
    right = client.get(
        "/progress/", {"number": application.number, "check_code": application.check_code},
        REMOTE_ADDR="192.0.2.1", HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert right.status_code == 429
    assert "Too many attempts" in right.content.decode()
    assert application.get_state_display() not in right.content.decode()


def test_progress_lookup_is_throttled_per_client_address(client):
    for n in range(30):
        client.get("/progress/", {"number": f"GE2026112800000{n:02d}", "check_code": "123456"})
    response = client.get("/progress/", {"number": "GE202611280000099", "check_code": "123456"})
    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()


class ReadCounter:
    """A request body that counts what is read of it."""

    def __init__(self, data: bytes) -> None:
        self.data, self.read_bytes = data, 0

    def read(self, size=-1):
        size = len(self.data) if size is None or size < 0 else size
        chunk, self.data = self.data[:size], self.data[size:]
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size=-1):
        return self.read(size)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/applications/1/documents/", "multipart/form-data; boundary=BoUnDaRy"),
        ("/applications/1/documents/", "multipart/form-data; boundary=BoUnDaRy"),
        ("/api/v1/applications/", "application/json"),
    ],
)
def test_a_100_mb_upload_is_refused_before_it_is_read(client, path, content_type):
    body = ReadCounter(b"x" * 1024)
    response = client.generic(
        "POST", path, content_type=content_type,
        **{"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(100 * 1024 * 1024),
           "wsgi.input": body},
    )  # fmt: skip
    assert response.status_code == 413
    assert body.read_bytes == 0
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
    else:
        assert "过大" in response.content.decode()


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if " " in d.strip())
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-inline" not in directives["style-src"]
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    inline_handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    inline_style = re.compile(r"<[^>]+\sstyle\s*=|<style", re.I)
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for pattern in (inline_script, inline_handler, inline_style):
            assert not pattern.search(text), f"{template.relative_to(ROOT)}: {pattern.pattern}"


@pytest.mark.parametrize("mode", ["forged", "missing"])
def test_unauthenticated_platform_answers_are_refused(govclient, mock_platform, mode):
    """A man in the middle answering `"match": true` is not believed."""
    mock_platform.set_faults({"id_card": {"signature": mode}})
    with pytest.raises(PlatformUnavailable):
        govclient.look_up("id_card", {"name": "错名", "id_number": reg.DEMO_RESIDENT})
    assert GovCall.objects.get().outcome == "unauthentic"
    mock_platform.set_faults({})
    answer = govclient.look_up("id_card", {"name": "张伟", "id_number": reg.DEMO_RESIDENT})
    assert answer.result["match"] is True
    assert json.dumps(answer.result)
