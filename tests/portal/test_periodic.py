"""The embedded default's periodic jobs: CELERY_BEAT_SCHEDULE run in-process on its schedules."""

import logging
import threading
from datetime import timedelta

from celery import Celery
from django.conf import settings

from portal.celery import app as portal_app
from portal.periodic import PeriodicScheduler, scheduler_from_settings

# One app for the module: Celery keeps the first callable registered under a task's name.
APP = Celery("periodic-test", set_as_current=False)
calls: list[str] = []


@APP.task(name="test.every_minute")
def every_minute():
    calls.append("every_minute")
    return 1


@APP.task(name="test.hourly")
def hourly():
    calls.append("hourly")
    return 1


@APP.task(name="test.broken")
def broken():
    calls.append("broken")
    raise RuntimeError("the platform is down")


def _scheduler() -> PeriodicScheduler:
    calls.clear()
    return PeriodicScheduler(APP, SCHEDULE)


SCHEDULE = {
    "minute": {"task": "test.every_minute", "schedule": timedelta(minutes=1)},
    "hour": {"task": "test.hourly", "schedule": timedelta(hours=1)},
    "broken": {"task": "test.broken", "schedule": timedelta(minutes=1)},
}


def test_the_embedded_scheduler_runs_exactly_the_beat_schedule_of_settings():
    scheduler = scheduler_from_settings(portal_app)
    assert [job.name for job in scheduler.jobs] == list(settings.CELERY_BEAT_SCHEDULE)
    for job in scheduler.jobs:
        assert job.task in portal_app.tasks, job.task  # every entry names a registered task


def test_each_job_runs_at_start_and_then_on_its_own_interval(time_machine):
    time_machine.move_to("2026-11-04 10:00:00+08:00", tick=False)
    scheduler = _scheduler()
    assert scheduler.run_due() == ["minute", "hour", "broken"]
    assert scheduler.run_due() == []  # nothing is due again at once
    time_machine.shift(timedelta(seconds=61))
    assert scheduler.run_due() == ["minute", "broken"]
    assert 0 < scheduler.seconds_until_next() <= 60
    time_machine.shift(timedelta(hours=1))
    assert scheduler.run_due() == ["minute", "hour", "broken"]
    assert calls.count("hourly") == 2 and calls.count("every_minute") == 3


def test_a_failing_job_is_logged_and_neither_stops_the_others_nor_the_scheduler(caplog):
    scheduler = _scheduler()
    scheduler.around_job = lambda: calls.append("connections checked")
    with caplog.at_level(logging.INFO, logger="portal.periodic"):
        scheduler.run_due()
    around = ["connections checked"]
    expected = [
        job for name in ("every_minute", "hourly", "broken") for job in (*around, name, *around)
    ]
    assert calls == expected
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failed) == 1 and "broken" in failed[0].getMessage()
    assert "the platform is down" in caplog.text


def test_the_scheduler_loop_stops_when_asked():
    scheduler = _scheduler()
    stop = threading.Event()
    loop = threading.Thread(target=scheduler.run_until, args=(stop,), kwargs={"longest_wait": 0.05})
    loop.start()
    stop.set()
    loop.join(timeout=5)
    assert not loop.is_alive()
    assert "every_minute" in calls
