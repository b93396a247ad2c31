"""The mock platform over real HTTP, through the portal's client."""

import json
import time

import httpx
import pytest

from govdata.client import GovDataClient, PlatformRefused, PlatformUnavailable
from govdata.mock import registry as reg
from govdata.models import GovCall
from govdata.signing import sign

pytestmark = pytest.mark.django_db

CASES = [
    ("id_card", {"name": "张伟", "id_number": reg.DEMO_RESIDENT}, {"match": True}),
    ("id_card", {"name": "错名", "id_number": reg.DEMO_RESIDENT}, {"match": False}),
    ("face", {"id_number": reg.DEMO_RESIDENT, "photo": "x" * 64}, {"match": True}),
    ("face", {"id_number": reg.FACE_MISMATCH, "photo": "x" * 64}, {"match": False}),
    ("business_license", {"credit_code": reg.DEMO_ENTERPRISE}, {"status": "active"}),
    ("business_license", {"credit_code": reg.REVOKED_COMPANY}, {"status": "revoked"}),
    ("real_estate", {"owner_id": reg.DEMO_RESIDENT, "address": "历下区泉城路1号"}, {"found": True}),
    ("real_estate", {"owner_id": reg.NO_TITLE}, {"found": False}),
    ("tenancy", {"tenant_id": reg.TENANT}, {"found": True}),
    ("land_planning", {"project_code": reg.DEMO_PROJECT}, {"status": "valid"}),
    ("construction_planning", {"project_code": reg.EXPIRED_PROJECT}, {"status": "expired"}),
    ("construction_permit", {"project_code": reg.DEMO_PROJECT}, {"status": "valid"}),
    ("project_approval", {"project_code": reg.DEMO_PROJECT}, {"status": "valid"}),
]


@pytest.mark.parametrize(("service", "payload", "expected"), CASES)
def test_each_service_answers_like_an_exchange_layer(govclient, service, payload, expected):
    answer = govclient.look_up(service, payload, application_id=7, subject="370102198805160123")
    assert answer.request_id and answer.provider and answer.timestamp
    assert expected.items() <= answer.result.items()
    assert len(answer.response_sha256) == 64
    call = GovCall.objects.get()
    assert (call.service, call.application_id, call.outcome, call.status_code) == (
        service,
        7,
        "answered",
        200,
    )
    assert call.subject == "3701**********0123"  # never the whole number


def _raw(mock_platform, headers, body=b"{}"):
    return httpx.post(
        f"{mock_platform.url}/services/id_card", content=body, headers=headers, timeout=5
    )


def test_unsigned_stale_forged_and_replayed_requests_get_401(mock_platform, settings):
    assert _raw(mock_platform, {}).status_code == 401
    body = json.dumps({"name": "张伟", "id_number": reg.DEMO_RESIDENT}).encode()
    now = str(int(time.time()))

    def headers(timestamp, nonce, key=settings.GOVDATA_KEY):
        return {
            "X-Consumer": settings.GOVDATA_CONSUMER,
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Signature": sign(key, "POST", "/services/id_card", timestamp, nonce, body),
        }

    stale = str(int(time.time()) - 3600)
    assert _raw(mock_platform, headers(stale, "n-stale"), body).json()["error"] == "stale"
    assert (
        _raw(mock_platform, headers(now, "n-forged", key="wrong"), body).json()["error"]
        == "bad_signature"
    )
    fresh = headers(now, "n-once")
    assert _raw(mock_platform, fresh, body).status_code == 200
    replay = _raw(mock_platform, fresh, body)
    assert replay.status_code == 401 and replay.json()["error"] == "replayed"


def test_a_wrong_key_is_refused_and_not_worth_retrying(mock_platform):
    client = GovDataClient(mock_platform.url, "power-portal", "not-the-key")
    with pytest.raises(PlatformRefused) as error:
        client.look_up("id_card", {"name": "张伟", "id_number": reg.DEMO_RESIDENT})
    assert error.value.retryable is False
    assert GovCall.objects.get().outcome == "refused"


def test_injected_errors_are_unavailable_and_retryable(govclient, mock_platform):
    mock_platform.set_faults({"face": {"error_rate": 1.0}})
    with pytest.raises(PlatformUnavailable) as error:
        govclient.look_up("face", {"id_number": reg.DEMO_RESIDENT, "photo": "x" * 64})
    assert error.value.retryable is True
    # Other services are unaffected.
    assert govclient.look_up("id_card", {"name": "张伟", "id_number": reg.DEMO_RESIDENT}).result[
        "match"
    ]


def test_injected_timeouts_hit_the_clients_read_timeout(mock_platform, settings):
    mock_platform.set_faults({"real_estate": {"timeout_rate": 1.0}})
    client = GovDataClient(
        mock_platform.url, settings.GOVDATA_CONSUMER, settings.GOVDATA_KEY, read_timeout=0.5
    )
    started = time.monotonic()
    with pytest.raises(PlatformUnavailable):
        client.look_up("real_estate", {"owner_id": reg.DEMO_RESIDENT})
    assert time.monotonic() - started < 3
    assert GovCall.objects.get().outcome == "timeout"
    mock_platform.set_faults({})


def test_injected_latency_is_added(govclient, mock_platform):
    mock_platform.set_faults({"tenancy": {"latency_ms": 300}})
    govclient.look_up("tenancy", {"tenant_id": reg.TENANT})
    assert GovCall.objects.get().latency_ms >= 300


def test_an_unreachable_platform_is_unavailable(settings):
    from tests.helpers import free_port

    client = GovDataClient(f"http://127.0.0.1:{free_port()}", "power-portal", settings.GOVDATA_KEY)
    with pytest.raises(PlatformUnavailable):
        client.look_up("id_card", {"name": "x", "id_number": "y"})
    assert GovCall.objects.get().outcome == "unreachable"


def test_the_registry_is_large_enough_for_load():
    registry = reg.build_registry()
    assert len(registry.people) >= 1000
    assert len(registry.companies) >= 200
    assert len(registry.properties) >= 2000
    assert registry.leases and registry.permits
    assert registry == reg.build_registry() or len(registry.people) == len(
        reg.build_registry().people
    )


def test_call_counts_per_service_are_queryable_for_the_kpis(govclient, mock_platform):
    from govdata.selectors import govcall_counts

    govclient.look_up("id_card", {"name": "张伟", "id_number": reg.DEMO_RESIDENT})
    govclient.look_up("id_card", {"name": "张伟", "id_number": reg.DEMO_RESIDENT})
    mock_platform.set_faults({"face": {"error_rate": 1.0}})
    with pytest.raises(PlatformUnavailable):
        govclient.look_up("face", {"id_number": reg.DEMO_RESIDENT, "photo": "x" * 64})
    assert govcall_counts() == {"id_card": {"answered": 2}, "face": {"error": 1}}
