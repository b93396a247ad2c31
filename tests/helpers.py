"""Small helpers for tests that start processes and talk to them over loopback HTTP."""

import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
# What a real deployment sets (docker-compose.yml, .env.example).
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7Jq2mV9pL4sT8wZ1cR6yN3bK5hF0dG2aQ9eU7iO4rW8tY1uP6zX3vB5nM0lS2kJ",
    "ALLOWED_HOSTS": "portal.example.cn",
    "GOVDATA_KEY": "production-consumer-key",
    "PAYMENT_KEY": "production-payment-key",
    "COURIER_KEY": "production-courier-key",
    "DATABASE_URL": "sqlite:///:memory:",
    "SMS_BACKEND": "notifications.backends.HttpGatewayBackend",
    "SMS_GATEWAY_URL": "https://sms.example.cn/send",
    "SMS_GATEWAY_KEY": "production-sms-gateway-key",
    "TRUSTED_PROXIES": "10.0.0.0/24",
    "PERSONAL_DATA_KEYS": "production-personal-data-key-2,production-personal-data-key-1",
    "PERSONAL_DATA_HASH_KEY": "production-personal-data-hash-key",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py` in a fresh process (settings are read once at start-up) with a deployment's
    environment: nothing of this test run's (the browser tests allow sync ORM calls beside
    Playwright's event loop, which the deploy check rightly refuses)."""
    unset = {"DJANGO_ENV", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "SMS_BACKEND"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# Counted by the integration tier, reported at the end of the run (tests/conftest.py).
RUN_STATS = {"worker_tasks": 0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, headers: dict | None = None, timeout: float = 3) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read().decode()


def wait_for_http(url: str, timeout: float = 30) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return http_get(url)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class MockPlatform:
    """The mock government platform in its own process, on a free loopback port."""

    def __init__(self, env: dict | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "govdata.mock", "--port", str(self.port)],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_http(f"{self.url}/healthz", timeout=20)

    def set_faults(self, faults: dict) -> None:
        import json

        request = urllib.request.Request(
            f"{self.url}/_control/faults", data=json.dumps(faults).encode(), method="PUT"
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class MockService:
    """A mock outside system (`payments.mock`, `mailing.mock`) in its own process, on a free
    loopback port, with its loopback-only control endpoints."""

    def __init__(self, module: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, "--port", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_http(f"{self.url}/healthz", timeout=20)

    def control(self, path: str, body: dict | None = None, method: str = "POST") -> dict:
        request = urllib.request.Request(
            f"{self.url}/_control/{path}", data=json.dumps(body or {}).encode(), method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            return {"status": error.code, **json.loads(error.read())}

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def sms_code(phone: str | None = None) -> str:
    """The six-digit code in the latest SMS the development backend kept (to `phone`)."""
    import re

    from notifications.models import SmsMessage

    messages = SmsMessage.objects.all() if phone is None else sms_messages_to(phone)
    return re.search(r"\b(\d{6})\b", messages[0].text).group(1)


def sms_messages_to(phone: str) -> list:
    """The texts sent to this number (phones are encrypted: found by reading, not by a query)."""
    from notifications.models import SmsMessage

    return [m for m in SmsMessage.objects.all() if m.phone == phone]


def authenticator(user) -> TOTPDevice:
    """A confirmed TOTP device of `user` (an authenticator app set up)."""
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def pdf_text(data: bytes) -> str:
    """The text of a PDF. fpdf2 embeds a CFF font with its own two-byte Identity CMap, which
    pypdf reads a byte at a time (a NUL before each glyph; the ToUnicode map itself is right),
    and pypdf spaces out CJK glyphs: both dropped."""
    pages = PdfReader(io.BytesIO(data)).pages
    return "".join(page.extract_text() for page in pages).replace("\x00", "").replace(" ", "")
