"""The mock payment platform in its own process, and the portal pointed at it."""

import json
import subprocess
import sys
import urllib.request

import pytest

from payments.client import reset_client
from tests.helpers import ROOT, free_port, wait_for_http


class PaymentPlatform:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "payments.mock", "--port", str(self.port)],
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


@pytest.fixture(scope="session")
def payment_platform_process():
    platform = PaymentPlatform()
    yield platform
    platform.stop()


@pytest.fixture
def payment_platform(payment_platform_process, settings):
    settings.PAYMENT_BASE_URL = payment_platform_process.url
    payment_platform_process.control("faults", {}, method="PUT")
    reset_client()
    yield payment_platform_process
    payment_platform_process.control("faults", {}, method="PUT")
    reset_client()
