"""The mock government platform runs as its own process and answers over HTTP."""

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import free_port, wait_for_http

ROOT = Path(__file__).resolve().parents[2]


def test_the_mock_platform_serves_health_over_http():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "govdata.mock", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        status, body = wait_for_http(f"http://127.0.0.1:{port}/healthz", timeout=15)
        assert status == 200
        assert json.loads(body)["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode == 0  # SIGTERM is a clean stop
