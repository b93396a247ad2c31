"""The integration tier's helpers: which real services are missing, a Celery worker process
against the test database, pointing this process's producer at a broker, waiting for the
outbox, and a private redis-server a test may stop and restart."""

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app
from portal.models import OutboxMessage
from tests.helpers import RUN_STATS, free_port

ROOT = Path(__file__).resolve().parents[2]


def missing_services() -> list[str]:
    missing = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing.append("DATABASE_URL does not point at PostgreSQL")
    if not settings.REDIS_URL:
        missing.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            missing.append(f"Redis at REDIS_URL does not answer ({exc})")
    return missing


def test_database_url() -> str:
    """The URL of the test database pytest-django created, for processes we start."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class Worker:
    """A `celery worker` process on both queues, against the test database."""

    def __init__(self, broker_url: str, log_path: Path, govdata_url: str = "") -> None:
        self.log_path = log_path
        env = {**os.environ, "DATABASE_URL": test_database_url(), "REDIS_URL": broker_url}
        if govdata_url:
            env["GOVDATA_BASE_URL"] = govdata_url
        env.pop("DJANGO_ENV", None)
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "portal", "worker",
                "-Q", "default,govdata", "-P", "threads", "-c", "4",
                "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
            ],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_for("ready.", timeout=60)

    def _wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log_path.read_text(errors="replace"):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"worker not {text!r}:\n{self.log_path.read_text(errors='replace')}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@contextlib.contextmanager
def producer_broker(url: str):
    """Point this process's Celery producer at `url` (eager off) for the duration."""
    before = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = url, False
    celery_app._after_fork()  # drop pooled connections to the old broker
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = before
        celery_app._after_fork()


def artifacts_dir() -> Path:
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def wait_until_done(ids: list[int], timeout: float = 60, between_polls=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if between_polls:
            between_polls()
        done = OutboxMessage.objects.filter(pk__in=ids, state=OutboxMessage.State.DONE).count()
        if done == len(ids):
            RUN_STATS["worker_tasks"] += done
            return
        time.sleep(0.2)
    states = list(OutboxMessage.objects.filter(pk__in=ids).values_list("pk", "state", "last_error"))
    raise AssertionError(f"not all done after {timeout}s: {states}")


class PrivateRedis:
    """A redis-server of the test's own, so the test may stop and restart 'the broker'."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
