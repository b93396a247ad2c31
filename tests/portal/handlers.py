"""Outbox handlers used by the tests. Effects go to a table-free place the test can read."""

import time

from django.db import OperationalError
from django.utils import timezone

from portal.models import OutboxMessage
from portal.outbox import RetryLater, lease

CALLS: list[dict] = []


def record(**payload) -> None:
    CALLS.append(payload)


def flaky(**payload) -> None:
    CALLS.append(payload)
    raise RetryLater("upstream timed out")


def broken(**payload) -> None:
    raise ValueError("a bug, not a transient failure")


def database_gone(**payload) -> None:
    CALLS.append(payload)
    raise OperationalError("server closed the connection unexpectedly")


@lease(0.6)
def slow(seconds: float) -> None:
    """Runs past its own short lease; notes where the heartbeat has moved the lease to."""
    started = timezone.now()
    time.sleep(seconds)
    row = OutboxMessage.objects.filter(handler=f"{__name__}.slow").get()
    CALLS.append({"started": started, "lease_until": row.lease_until})
