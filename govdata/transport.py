"""A signed JSON-over-HTTP client for the outside systems that use the exchange's signing scheme
(`govdata.signing`): the payment platform and the courier. Signed requests, answers whose
signature is checked, explicit timeouts, pooled connections, and errors that say whether a retry
can help. Each integration's client (`payments.client`, `mailing.client`) names its calls on
top of it."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable

import httpx

from .signing import HEADER_NONCE, signed_headers, verify_response

logger = logging.getLogger(__name__)


class OutsideSystemError(Exception):
    retryable = False


class SystemUnavailable(OutsideSystemError):
    """Timeout, connection failure, a 5xx or an answer not signed by the system."""

    retryable = True


class SystemRefused(OutsideSystemError):
    """A 4xx: repeating the same call cannot help. `status` and `body` say why."""

    def __init__(self, message: str, status: int, body: dict) -> None:
        super().__init__(message)
        self.status, self.body = status, body


class SignedClient:
    def __init__(
        self, base_url: str, caller: str, key: str, *, connect_timeout=2.0, read_timeout=5.0
    ) -> None:
        self.caller, self.key = caller, key
        self._http = httpx.Client(
            base_url=base_url,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )

    def close(self) -> None:
        self._http.close()

    def call(self, method: str, path: str, payload: dict | None = None) -> httpx.Response:
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        headers = signed_headers(self.caller, self.key, method, path, body)
        if payload is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            response = self._http.request(method, path, content=body, headers=headers)
        except httpx.TransportError as exc:  # timeouts included
            raise SystemUnavailable(f"{method} {path}: {exc!r}") from exc
        finally:
            logger.info(
                "outside call %s %s%s latency_ms=%d",
                method, self._http.base_url, path, (time.perf_counter() - started) * 1000,
            )  # fmt: skip
        if response.status_code >= 500:
            raise SystemUnavailable(f"{method} {path}: answered {response.status_code}")
        refused = verify_response(
            self.key, response.headers, response.status_code, response.content,
            headers[HEADER_NONCE],
        )  # fmt: skip
        if refused:
            logger.warning("answer refused path=%s reason=%s", path, refused)
            raise SystemUnavailable(f"{method} {path}: answer not signed by the system")
        if response.status_code >= 400:
            try:
                data = response.json()
            except ValueError:
                data = {}
            raise SystemRefused(
                f"{method} {path}: refused ({response.status_code})", response.status_code, data
            )
        return response


class ClientHolder:
    """One pooled client per process, made on first use from settings read then (tests point
    the portal elsewhere and `reset` it)."""

    def __init__(self, make: Callable[[], SignedClient]) -> None:
        self._make = make
        self._client: SignedClient | None = None
        self._lock = threading.Lock()

    def get(self):
        with self._lock:
            if self._client is None:
                self._client = self._make()
            return self._client

    def reset(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = None
