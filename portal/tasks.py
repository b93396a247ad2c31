"""Celery tasks of the shell. The outbox's own tasks are defined beside it (`portal.outbox`)
and listed here so the worker's autodiscovery finds them."""

from .outbox import outbox_execute, outbox_relay_task

__all__ = ["outbox_execute", "outbox_relay_task", "ping"]


def ping(**payload) -> None:
    """A no-op handler: `manage.py outbox_ping` uses it to prove a worker runs the outbox."""
