"""The one place the portal talks HTTP to the government data-sharing platform.

Pooled connections, explicit connect/read timeouts, signed requests, answers whose platform
signature is checked (an unsigned, forged or replayed answer is refused like an outage: the
check is retried, the applicant may supply the document meanwhile), typed answers, and errors
that say whether a retry can help. Every call is logged (service, application id, latency,
outcome, request id) with the subject masked, and counted in `GovCall` for the KPIs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass

import httpx
from django.conf import settings

from portal.masking import mask_id_number

from .models import GovCall
from .signing import HEADER_NONCE, signed_headers, verify_response

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordAnswer:
    service: str
    request_id: str
    provider: str
    timestamp: str
    result: dict
    response_sha256: str


class GovDataError(Exception):
    retryable = False


class PlatformUnavailable(GovDataError):
    """Timeout, connection failure or a 5xx: the same call may succeed later."""

    retryable = True


class PlatformRefused(GovDataError):
    """A 4xx (bad request, signature refused): repeating the call cannot help."""


class GovDataClient:
    def __init__(
        self,
        base_url: str,
        consumer: str,
        key: str,
        *,
        connect_timeout: float = 2.0,
        read_timeout: float = 5.0,
    ) -> None:
        self.consumer, self.key = consumer, key
        self._http = httpx.Client(
            base_url=base_url,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )

    def close(self) -> None:
        self._http.close()

    def look_up(
        self, service: str, payload: dict, *, application_id: int | None = None, subject: str = ""
    ) -> RecordAnswer:
        path = f"/services/{service}"
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        headers = signed_headers(self.consumer, self.key, "POST", path, body)
        headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        status, request_id, outcome = None, "", "answered"
        try:
            response = self._http.post(path, content=body, headers=headers)
            status = response.status_code
            if status >= 500:
                outcome = "error"
                raise PlatformUnavailable(f"{service}: platform answered {status}")
            if status >= 400:
                outcome = "refused"
                raise PlatformRefused(
                    f"{service}: platform refused the request ({status}): {response.text[:200]}"
                )
            refused = verify_response(
                self.key, response.headers, status, response.content, headers[HEADER_NONCE]
            )
            if refused:
                outcome = "unauthentic"
                logger.warning("govdata answer refused service=%s reason=%s", service, refused)
                raise PlatformUnavailable(f"{service}: answer not signed by the platform")
            data = response.json()
            request_id = data.get("request_id", "")
            return RecordAnswer(
                service=service,
                request_id=request_id,
                provider=data.get("provider", ""),
                timestamp=data.get("timestamp", ""),
                result=data.get("result", {}),
                response_sha256=hashlib.sha256(response.content).hexdigest(),
            )
        except httpx.TimeoutException as exc:
            outcome = "timeout"
            raise PlatformUnavailable(f"{service}: timed out") from exc
        except httpx.TransportError as exc:
            outcome = "unreachable"
            raise PlatformUnavailable(f"{service}: unreachable ({exc})") from exc
        except ValueError as exc:  # a 200 that is not JSON
            outcome = "error"
            raise PlatformUnavailable(f"{service}: unreadable answer") from exc
        finally:
            latency = int((time.perf_counter() - started) * 1000)
            masked = mask_id_number(subject)
            logger.info(
                "govdata call service=%s application=%s outcome=%s status=%s latency_ms=%s "
                "request_id=%s subject=%s",
                service, application_id, outcome, status, latency, request_id, masked,
            )  # fmt: skip
            GovCall.objects.create(
                service=service,
                application_id=application_id,
                outcome=outcome,
                status_code=status,
                latency_ms=latency,
                request_id=request_id,
                subject=masked,
            )


_client: GovDataClient | None = None
_client_lock = threading.Lock()


def get_client() -> GovDataClient:
    """One pooled client per process (httpx clients are thread-safe)."""
    global _client
    with _client_lock:
        if _client is None:
            _client = GovDataClient(
                settings.GOVDATA_BASE_URL, settings.GOVDATA_CONSUMER, settings.GOVDATA_KEY
            )
        return _client
