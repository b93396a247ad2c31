"""The mock government platform runs as its own process and answers over HTTP."""

import json

from tests.helpers import MockPlatform, http_get


def test_the_mock_platform_serves_health_over_http_and_stops_cleanly():
    platform = MockPlatform()
    try:
        status, body = http_get(f"{platform.url}/healthz")
        assert status == 200
        assert json.loads(body)["status"] == "ok"
    finally:
        platform.stop()
    assert platform.proc.returncode == 0  # SIGTERM is a clean stop
