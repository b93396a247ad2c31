from celery import shared_task

from .outbox import outbox_relay, outbox_run


@shared_task(name="portal.outbox.execute", ignore_result=True)
def outbox_execute(message_id: int) -> str:
    return outbox_run(message_id=message_id)


@shared_task(name="portal.outbox.relay", ignore_result=True)
def outbox_relay_task() -> int:
    return outbox_relay()


def ping(**payload) -> None:
    """A no-op handler: `manage.py outbox_ping` uses it to prove a worker runs the outbox."""
