"""Test doubles at the integration choke points."""

import hashlib
import json

from govdata.client import PlatformUnavailable, RecordAnswer
from govdata.mock.registry import build_registry
from govdata.mock.services import ENDPOINTS, PROVIDERS


class InProcessPlatform:
    """Test double at the HTTP choke point: answers from the mock's own registry and rules, in
    process. The integration tier runs the real mock over HTTP instead."""

    registry = build_registry()

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.unavailable: set[str] = set()

    def look_up(self, service, payload, *, application_id=None, subject=""):
        self.calls.append(service)
        if service in self.unavailable:
            raise PlatformUnavailable(f"{service}: down (test)")
        result = ENDPOINTS[service](self.registry, payload)
        body = json.dumps(result, sort_keys=True).encode()
        digest = hashlib.sha256(body).hexdigest()
        stamp = "2026-11-28T00:00:00Z"
        return RecordAnswer(
            service, f"req-{len(self.calls)}", PROVIDERS[service], stamp, result, digest
        )
