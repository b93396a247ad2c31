"""`client_ip`: X-Forwarded-For believed only from the trusted proxies."""

import pytest
from django.test import RequestFactory

from portal.client import client_ip


def request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.5", "198.51.100.1", "198.51.100.1"),
        # The client wrote its own header before the balancer appended the real address.
        ("10.0.0.5", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Two trusted hops.
        ("10.0.0.5", "198.51.100.1, 10.0.0.9", "198.51.100.1"),
        ("fd00::1", "2001:db8::7", "2001:db8::7"),
        # Not from a trusted proxy: the header is the client's own claim.
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # A trusted proxy without a header, or with garbage in it.
        ("10.0.0.5", None, "10.0.0.5"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
        ("10.0.0.5", "198.51.100.1, junk", "10.0.0.5"),
    ],
)
def test_the_chain_is_read_from_the_right_past_trusted_proxies(
    trusted_proxies, remote, forwarded, expected
):
    assert client_ip(request(remote, forwarded)) == expected
