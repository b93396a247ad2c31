"""Outbox handlers used by the tests. Effects go to a table-free place the test can read."""

from django.db import OperationalError

from portal.outbox import RetryLater

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
