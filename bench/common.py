"""What the benchmarks share: Django set up as deployed (DEBUG off), a Celery worker started as a
subprocess, the outbox relay that beat runs in production, and filing applications."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Measured as deployed: DEBUG off (no per-query bookkeeping).
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from applications.models import Application  # noqa: E402
from applications.services import application_create, application_transition  # noqa: E402
from govdata.mock import registry as reg  # noqa: E402
from portal.celery import app as celery_app  # noqa: E402
from portal.models import User  # noqa: E402
from portal.outbox import outbox_relay  # noqa: E402
from tests.helpers import MockPlatform  # noqa: E402

FACE = {"face_consent": True, "face_photo": "bench-photo-" + "A" * 64}
SETTLED = {"pending_acceptance", "needs_documents"}


def out(name: str, value) -> None:
    print(f"{name}: {value}", flush=True)


def require_services() -> None:
    if not (
        os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
    ):
        sys.exit("set DATABASE_URL (PostgreSQL) and REDIS_URL")


class Worker:
    """`processes` govdata workers (one per core, as the compose file scales them), each a
    thread pool."""

    @staticmethod
    def log_path_for(name: str) -> Path:
        log = ROOT / "test-artifacts" / f"bench-{name}-worker.log"
        log.parent.mkdir(exist_ok=True)
        return log

    def __init__(self, govdata_url: str, log: Path, processes: int = 2, threads: int = 24) -> None:
        self.govdata_url, self.log_path = govdata_url, log
        self.processes, self.threads = processes, threads
        self.procs: list[subprocess.Popen] = []

    def start(self) -> None:
        env = {
            **os.environ,
            "GOVDATA_BASE_URL": self.govdata_url,
            "DB_POOL_MAX": str(self.threads + 4),
        }
        self.log = open(self.log_path, "a")  # noqa: SIM115
        self.procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "portal",
                    "worker",
                    "-Q",
                    "default,govdata",
                    "-P",
                    "threads",
                    "-c",
                    str(self.threads),
                    "-n",
                    f"bench{i}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-l",
                    "WARNING",
                ],
                cwd=ROOT,
                env=env,
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            for i in range(self.processes)
        ]
        time.sleep(4)

    def kill(self) -> None:
        for proc in self.procs:
            proc.send_signal(signal.SIGKILL)
            proc.wait()

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


class Relay(threading.Thread):
    """What beat does in production: the outbox relay, every second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            try:
                outbox_relay()
            except Exception as exc:  # a broker blip during a drill; try again next second
                print(f"# relay: {exc}", file=sys.stderr)
            finally:
                connection.close()


def submit(user: User, ids: list[int]) -> None:
    for pk in ids:
        with transaction.atomic():
            application_transition(application_id=pk, name="submit", actor=user, payload=FACE)


def file_drafts(user: User, count: int) -> list[int]:
    ids = []
    for _ in range(count):
        application, _ = application_create(
            actor=user,
            fields={
                "kind": "new_connection",
                "applicant": user,
                "customer_type": "residential",
                "applicant_name": "张伟",
                "id_number": reg.DEMO_RESIDENT,
                "phone": "13905310001",
                "voltage": "low",
                "capacity_kva": 10,
                "supply_county_id": "370102",
                "supply_address": "历下区泉城路1号",
                "channel": "web",
                "consent_version": "2026-01",
            },
        )
        ids.append(application.pk)
    return ids


def wait_settled(ids: list[int], timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if Application.objects.filter(pk__in=ids, state__in=SETTLED).count() == len(ids):
            break
        time.sleep(0.1)
    return time.monotonic() - started


@contextmanager
def running(name: str):
    """The mock platform, a real worker and the relay for one bench run; always stopped."""
    celery_app.conf.task_always_eager = False
    platform = MockPlatform()
    worker = Worker(platform.url, Worker.log_path_for(name))
    relay = Relay()
    try:
        worker.start()
        relay.start()
        yield platform, worker
    finally:
        relay.stopping.set()
        worker.stop()
        platform.stop()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * q + 0.5) - 1, 0)]
