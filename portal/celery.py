"""The Celery application. Queues: `govdata` (I/O-bound government calls, thread pool with high
concurrency) and `default` (everything else). Beat runs the outbox relay."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("govdata"))
app.autodiscover_tasks()
