"""Request and answer signing for the government data-sharing exchange, shared by the portal's
client and the mock platform: HMAC-SHA256 over method, path, timestamp, nonce and the body's
SHA-256, with a key per consumer. The receiver refuses unsigned, stale (clock skew beyond a
window) and replayed (nonce seen before) requests.

The platform signs its answers with the same key: status, timestamp, the nonce of the request
answered and the body's SHA-256. The client refuses an answer that is unsigned, forged, stale, or
signed for another request (a replayed answer carries another request's nonce)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

HEADER_CONSUMER = "X-Consumer"
HEADER_TIMESTAMP = "X-Timestamp"
HEADER_NONCE = "X-Nonce"
HEADER_SIGNATURE = "X-Signature"
HEADER_RESPONSE_TIMESTAMP = "X-Response-Timestamp"
HEADER_RESPONSE_SIGNATURE = "X-Response-Signature"
MAX_SKEW_SECONDS = 300


def string_to_sign(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, timestamp, nonce, digest]).encode()


def sign(key: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = string_to_sign(method, path, timestamp, nonce, body)
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(consumer: str, key: str, method: str, path: str, body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    nonce = secrets.token_hex(16)
    return {
        HEADER_CONSUMER: consumer,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: sign(key, method, path, timestamp, nonce, body),
    }


class NonceCache:
    """Nonces seen within the skew window; older ones cannot be replayed anyway (stale)."""

    def __init__(self) -> None:
        self._seen: dict[str, float] = {}

    def seen_before(self, nonce: str, now: float) -> bool:
        if len(self._seen) > 100_000:
            self._seen = {n: t for n, t in self._seen.items() if now - t < 2 * MAX_SKEW_SECONDS}
        if nonce in self._seen:
            return True
        self._seen[nonce] = now
        return False


def verify(
    keys: dict[str, str], headers, method: str, path: str, body: bytes, nonces: NonceCache
) -> str | None:
    """None when the request is properly signed, else the reason it is refused."""
    consumer = headers.get(HEADER_CONSUMER)
    timestamp = headers.get(HEADER_TIMESTAMP, "")
    nonce = headers.get(HEADER_NONCE, "")
    signature = headers.get(HEADER_SIGNATURE, "")
    if not (consumer and timestamp and nonce and signature):
        return "unsigned"
    key = keys.get(consumer)
    if key is None:
        return "unknown_consumer"
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
        return "stale"
    expected = sign(key, method, path, timestamp, nonce, body)
    if not hmac.compare_digest(expected, signature):
        return "bad_signature"
    if nonces.seen_before(nonce, time.time()):
        return "replayed"
    return None


def sign_response(key: str, status: int, timestamp: str, request_nonce: str, body: bytes) -> str:
    return sign(key, "RESPONSE", str(status), timestamp, request_nonce, body)


def response_headers(key: str, status: int, request_nonce: str, body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        HEADER_RESPONSE_TIMESTAMP: timestamp,
        HEADER_RESPONSE_SIGNATURE: sign_response(key, status, timestamp, request_nonce, body),
    }


def verify_response(key: str, headers, status: int, body: bytes, request_nonce: str) -> str | None:
    """None when the answer was signed by the platform for this very request, else the reason
    it is refused."""
    timestamp = headers.get(HEADER_RESPONSE_TIMESTAMP, "")
    signature = headers.get(HEADER_RESPONSE_SIGNATURE, "")
    if not (timestamp and signature):
        return "unsigned"
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
        return "stale"
    expected = sign_response(key, status, timestamp, request_nonce, body)
    if not hmac.compare_digest(expected, signature):
        return "bad_signature"
    return None
