"""The Celery application. Queues: `govdata` (I/O-bound government calls, thread pool with high
concurrency) and `default` (everything else). Beat runs the outbox relay; each worker asks for a
recovery pass of the outbox whenever it (re)connects to the broker."""

import logging
import os
import time

from celery import Celery, bootsteps
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
