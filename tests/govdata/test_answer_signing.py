"""The platform signs its answers; the client believes only answers signed for its request."""

import time

import pytest

from govdata.mock import registry as reg
from govdata.signing import (
    HEADER_RESPONSE_SIGNATURE,
    HEADER_RESPONSE_TIMESTAMP,
    response_headers,
    sign_response,
    verify_response,
)

KEY = "consumer-key"
BODY = b'{"result": {"match": true}}'


def test_an_answer_signed_for_this_request_is_accepted():
    headers = response_headers(KEY, 200, "nonce-1", BODY)
    assert verify_response(KEY, headers, 200, BODY, "nonce-1") is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"nonce": "nonce-2"}, "bad_signature"),  # replayed: the answer to another request
        ({"body": b'{"result": {"match": false}}'}, "bad_signature"),
        ({"status": 201}, "bad_signature"),
        ({"key": "someone-else"}, "bad_signature"),
    ],
)
def test_a_replayed_or_altered_answer_is_refused(change, reason):
    headers = response_headers(change.get("key", KEY), 200, "nonce-1", BODY)
    status = change.get("status", 200)
    body = change.get("body", BODY)
    nonce = change.get("nonce", "nonce-1")
    assert verify_response(KEY, headers, status, body, nonce) == reason


def test_an_unsigned_or_stale_answer_is_refused():
    assert verify_response(KEY, {}, 200, BODY, "nonce-1") == "unsigned"
    old = str(int(time.time()) - 3600)
    headers = {
        HEADER_RESPONSE_TIMESTAMP: old,
        HEADER_RESPONSE_SIGNATURE: sign_response(KEY, 200, old, "nonce-1", BODY),
    }
    assert verify_response(KEY, headers, 200, BODY, "nonce-1") == "stale"


@pytest.mark.django_db
def test_the_mock_signs_its_answers(govclient):
    """Through the real mock over HTTP: the answer verifies (look_up would raise otherwise)."""
    answer = govclient.look_up("business_license", {"credit_code": reg.DEMO_ENTERPRISE})
    assert answer.result["status"] == "active"
