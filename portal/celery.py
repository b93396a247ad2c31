"""The Celery application. Queues: `govdata` (I/O-bound government calls, thread pool with high
concurrency) and `default` (everything else). Beat runs the outbox relay; each worker asks for a
recovery pass of the outbox whenever it (re)connects to the broker."""

import logging
import os
import time

from celery import Celery, bootsteps
from celery.worker.consumer import Consumer as CeleryConsumer
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("govdata"))
app.autodiscover_tasks()


class RecoverOnConnect(bootsteps.StartStopStep):
    """Started each time the worker's consumer (re)connects to the broker (the consumer's steps
    start again after a lost connection): work sent before a broker restart was lost with it, so
    the outbox sends it again now rather than when it goes stale."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, c) -> None:
        try:
            c.app.send_task("portal.outbox.recover", args=[time.time()], queue="default")
        except Exception as exc:  # noqa: BLE001 - the periodic relay still covers it
            logging.getLogger(__name__).warning("outbox recovery not sent: %r", exc)


app.steps["consumer"].add(RecoverOnConnect)


class Consumer(CeleryConsumer):
    """Celery's consumer, surviving a broker restart while it holds unacknowledged messages.

    On a lost connection Celery 5.7.0 collects the connection, which detaches its transport, and
    then closes it. Everything that later touches a channel of that connection — closing it while
    it still holds delivered messages, or acknowledging one of them when its task finishes after
    the reconnection — raises `AttributeError` from kombu's Redis transport, which Celery does not
    count among connection errors: the worker stops (seen in `bench/drill.py`, in both pools,
    whenever a worker was busy when Redis went away). Here it is counted as one, so the consumer
    logs it and reconnects. Nothing is lost by it: the restarted Redis kept none of those
    messages, and the outbox row, not the message, records whether the work ran."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.connection_errors = (*self.connection_errors, AttributeError)

    def on_connection_error_after_connected(self, exc) -> None:
        try:
            super().on_connection_error_after_connected(exc)
        except AttributeError as error:
            logging.getLogger(__name__).warning(
                "broker connection closed uncleanly after %r: %r; reconnecting", exc, error
            )
            self.connection = None
