"""Celery tasks of the shell. The outbox's own tasks are defined beside it (`portal.outbox`)
and listed here so the worker's autodiscovery finds them."""

from .access_log import purge_access_log_task
from .outbox import outbox_execute, outbox_relay_task

__all__ = ["outbox_execute", "outbox_relay_task", "ping", "purge_access_log_task"]


def ping(**payload) -> None:
    """A no-op handler: `manage.py outbox_ping` uses it to prove a worker runs the outbox."""
