"""The address of the person at the other end of a request, read in one place: sign-in lockout
(django-axes) and rate limits ask this function, so honouring a trusted proxy's
`X-Forwarded-For` is a change here and nowhere else."""

from __future__ import annotations


def client_ip(request) -> str:
    """The client's address as the server saw it (`REMOTE_ADDR`)."""
    return request.META.get("REMOTE_ADDR", "")
