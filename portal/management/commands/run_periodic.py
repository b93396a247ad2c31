"""The periodic jobs of `CELERY_BEAT_SCHEDULE`, in-process, for the embedded default (no Redis,
no Celery beat). `runportal` starts it beside the site; it stops on SIGTERM or SIGINT."""

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from portal.celery import app
from portal.periodic import scheduler_from_settings


class Command(BaseCommand):
    help = "Run the periodic jobs of CELERY_BEAT_SCHEDULE in this process until stopped."

    def handle(self, *args, **options):
        # A long-lived process: before and after each job, drop the connections the database
        # closed meanwhile, as a Celery worker does around each task.
        scheduler = scheduler_from_settings(app, around_job=close_old_connections)
        stop = threading.Event()

        def _stop(*_):
            stop.set()

        # Set both: started with SIGINT ignored (nohup, CI), SIGTERM from runportal still stops
        # it between two jobs instead of in the middle of one.
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        names = ", ".join(job.name for job in scheduler.jobs)
        self.stdout.write(f"periodic jobs: {names}", ending="\n")
        self.stdout.flush()
        scheduler.run_until(stop)
