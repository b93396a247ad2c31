"""Celery beat's work without Celery beat: the embedded default (`make run`, no Redis) runs the
entries of `CELERY_BEAT_SCHEDULE` in-process, each on its own schedule.

The table in settings is the only list: an entry added there runs here too. Each entry's task is
looked up by name in the Celery app's registry and applied in this process (the same function a
worker would run). Schedules are Celery's own objects (`maybe_schedule`), so a `timedelta`, a
number of seconds or a `crontab` mean what they mean to beat. A failing job is logged and tried
again at its next run; it never stops the others.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from celery import Celery
from celery.schedules import BaseSchedule, maybe_schedule

logger = logging.getLogger(__name__)


@dataclass
class PeriodicJob:
    name: str
    task: str
    schedule: BaseSchedule
    args: tuple = ()
    kwargs: dict | None = None
    last_run_at: datetime | None = None

    def seconds_until_due(self) -> float:
        """0 when the job is due now (always before its first run), else seconds to wait."""
        if self.last_run_at is None:
            return 0.0
        due, next_in = self.schedule.is_due(self.last_run_at)
        return 0.0 if due else float(next_in)


class PeriodicScheduler:
    """Runs every entry of a beat schedule once at start, then each on its interval."""

    def __init__(
        self, app: Celery, schedule: dict, *, around_job: Callable[[], None] | None = None
    ) -> None:
        self.app = app
        self.around_job = around_job or (lambda: None)
        self.jobs = [
            PeriodicJob(
                name=name,
                task=entry["task"],
                schedule=maybe_schedule(entry["schedule"], app=app),
                args=tuple(entry.get("args", ())),
                kwargs=dict(entry.get("kwargs", {})),
            )
            for name, entry in schedule.items()
        ]

    def run_due(self) -> list[str]:
        """Run the jobs that are due now; the names of those that ran (failed ones included)."""
        ran = []
        for job in self.jobs:
            if job.seconds_until_due() > 0:
                continue
            job.last_run_at = self.app.now()
            self._run(job)
            ran.append(job.name)
        return ran

    def seconds_until_next(self) -> float:
        return min((job.seconds_until_due() for job in self.jobs), default=60.0)

    def run_until(self, stop: threading.Event, *, longest_wait: float = 1.0) -> None:
        """Run jobs as they fall due until `stop` is set (checked at least every `longest_wait`
        seconds, so a stop request is answered quickly)."""
        while not stop.is_set():
            self.run_due()
            stop.wait(min(self.seconds_until_next(), longest_wait))

    def _run(self, job: PeriodicJob) -> None:
        self.around_job()
        try:
            task = self.app.tasks[job.task]
            result = task.apply(args=job.args, kwargs=job.kwargs, throw=True).result
        except Exception:
            logger.exception("periodic job %s (%s) failed", job.name, job.task)
            return
        finally:
            self.around_job()
        # The relay runs every few seconds: say so only when a job did something.
        level = logging.INFO if result else logging.DEBUG
        logger.log(level, "periodic job %s done: %r", job.name, result)


def scheduler_from_settings(
    app: Celery, *, around_job: Callable[[], None] | None = None
) -> PeriodicScheduler:
    """The scheduler of this project's `CELERY_BEAT_SCHEDULE` (read from the Celery app's
    configuration, which is loaded from Django's settings)."""
    app.loader.import_default_modules()
    return PeriodicScheduler(app, app.conf.beat_schedule, around_job=around_job)
