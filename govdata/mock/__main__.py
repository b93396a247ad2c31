"""The mocked government data-sharing platform, run as its own HTTP service.

    python -m govdata.mock --port 8001

It shares the codebase with the portal but never its process: the portal reaches it only over
HTTP through `govdata.client`. Record services: `POST /services/<code>` with a JSON body, signed
(see `govdata.signing`). Answers carry a request id, the provider and a timestamp, like the real
exchange layer.

Consumers and keys: GOVDATA_CONSUMER / GOVDATA_KEY (the same variables the portal reads, same
development default), or GOVDATA_MOCK_KEYS as JSON {"consumer": "key"}.
Fault injection per service: GOVDATA_MOCK_FAULTS as JSON, e.g.
{"face": {"latency_ms": 300, "error_rate": 0.2, "timeout_rate": 0.1}}, or at run time
`PUT /_control/faults` (loopback only) with the same JSON. `"signature": "forged"` signs the
service's answers with a wrong key and `"signature": "missing"` leaves them unsigned, as a
man in the middle would.

Every answer to a consumer the platform knows is signed (`govdata.signing.response_headers`):
with the consumer's key, over the status, a timestamp, the request's nonce and the body.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from govdata.signing import HEADER_CONSUMER, HEADER_NONCE, NonceCache, response_headers, verify

from .registry import build_registry
from .services import ENDPOINTS, PROVIDERS, BadRequest

logger = logging.getLogger("govdata.mock")
DEV_KEY = "dev-only-govdata-key"  # noqa: S105 - the development default the portal uses too
TIMEOUT_HOLD_SECONDS = 30
FORGED_KEY = "not-the-platforms-key"  # noqa: S105 - what a forger signs with


class Platform:
    def __init__(self, keys: dict[str, str], faults: dict[str, dict]) -> None:
        self.registry = build_registry()
        self.keys = keys
        self.faults = faults
        self.nonces = NonceCache()
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.random = random.Random()


class Handler(BaseHTTPRequestHandler):
    server_version = "GovDataMock/1.0"
    protocol_version = "HTTP/1.1"

    @property
    def platform(self) -> Platform:
        return self.server.platform  # type: ignore[attr-defined]

    def _json(self, status: int, body: dict, *, signature: str = "") -> None:
        """Answer, signed for the requesting consumer unless `signature` injects a fault
        ("forged": a wrong key; "missing": no signature)."""
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        key = self.platform.keys.get(self.headers.get(HEADER_CONSUMER, ""))
        if signature == "forged":
            key = FORGED_KEY
        if key and signature != "missing":
            nonce = self.headers.get(HEADER_NONCE, "")
            for name, value in response_headers(key, status, nonce, data).items():
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/healthz":
            self._json(200, {"status": "ok", "services": sorted(ENDPOINTS)})
        elif self.path == "/_control/stats" and self._loopback():
            with self.platform.lock:
                self._json(
                    200, {"calls": dict(self.platform.calls), "faults": self.platform.faults}
                )
        else:
            self._json(404, {"error": "not_found"})

    def do_PUT(self) -> None:  # noqa: N802
        if self.path == "/_control/faults" and self._loopback():
            faults = json.loads(self._body() or b"{}")
            with self.platform.lock:
                self.platform.faults = {k: v for k, v in faults.items() if k in ENDPOINTS}
            self._json(200, {"faults": self.platform.faults})
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        if not self.path.startswith("/services/"):
            self._json(404, {"error": "not_found"})
            return
        code = self.path.removeprefix("/services/")
        refused = verify(
            self.platform.keys, self.headers, "POST", self.path, body, self.platform.nonces
        )
        if refused:
            self._json(401, {"error": refused})
            return
        if code not in ENDPOINTS:
            self._json(404, {"error": "unknown_service"})
            return
        with self.platform.lock:
            self.platform.calls[code] += 1
            fault = dict(self.platform.faults.get(code, {}))
            roll = self.platform.random.random()
        if fault.get("latency_ms"):
            time.sleep(fault["latency_ms"] / 1000)
        if roll < fault.get("timeout_rate", 0):
            time.sleep(TIMEOUT_HOLD_SECONDS)  # the caller's read timeout fires first
            self._json(504, {"error": "upstream_timeout"})
            return
        if roll < fault.get("timeout_rate", 0) + fault.get("error_rate", 0):
            self._json(503, {"error": "provider_unavailable", "provider": PROVIDERS[code]})
            return
        try:
            payload = json.loads(body or b"{}")
            result = ENDPOINTS[code](self.platform.registry, payload)
        except (BadRequest, ValueError) as exc:
            self._json(400, {"error": "bad_request", "detail": str(exc)})
            return
        self._json(
            200,
            {
                "request_id": uuid.uuid4().hex,
                "service": code,
                "provider": PROVIDERS[code],
                "timestamp": datetime.now(UTC).isoformat(),
                "result": result,
            },
            signature=fault.get("signature", ""),
        )

    def _loopback(self) -> bool:
        return self.client_address[0] in {"127.0.0.1", "::1"}

    def log_message(self, fmt: str, *args) -> None:
        logger.debug("%s %s", self.address_string(), fmt % args)


def platform_from_env() -> Platform:
    keys = json.loads(os.environ.get("GOVDATA_MOCK_KEYS") or "{}") or {
        os.environ.get("GOVDATA_CONSUMER", "power-portal"): os.environ.get("GOVDATA_KEY") or DEV_KEY
    }
    faults = json.loads(os.environ.get("GOVDATA_MOCK_FAULTS") or "{}")
    return Platform(keys, faults)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m govdata.mock")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s govdata-mock %(message)s")
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.platform = platform_from_env()  # type: ignore[attr-defined]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    logger.info(
        "listening on http://%s:%s with %s people, %s companies, %s titles",
        args.host,
        args.port,
        len(server.platform.registry.people),  # type: ignore[attr-defined]
        len(server.platform.registry.companies),  # type: ignore[attr-defined]
        len(server.platform.registry.properties),  # type: ignore[attr-defined]
    )
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
