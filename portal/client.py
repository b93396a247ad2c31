"""The address of the person at the other end of a request. Behind the load balancer every
request comes from the balancer's address; the balancer names the real client in
`X-Forwarded-For`. That header is believed only when it was added by a proxy the deployment
trusts (`TRUSTED_PROXIES`, CIDRs from the environment): anyone else can write anything in it."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str:
    """The client's address: `REMOTE_ADDR`, unless that is a trusted proxy — then the
    `X-Forwarded-For` chain read from the right, past every trusted proxy, to the first address
    no trusted proxy is known to have written. A malformed entry ends the walk at the last
    address a trusted proxy vouched for."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    current = _address(remote)
    if current is None or not networks:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    while _trusted(current, networks) and hops:
        previous = _address(hops.pop())
        if previous is None:
            break
        current = previous
    return str(current)
