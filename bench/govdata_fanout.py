"""Record-check fan-out: speed, and fault drills.

    DATABASE_URL=postgres://... REDIS_URL=redis://... python bench/govdata_fanout.py
    ... python bench/govdata_fanout.py --drill errors|kill|flush

Starts the mock platform and a Celery worker itself, against the PostgreSQL and Redis named by
DATABASE_URL / REDIS_URL (the database is migrated and its applications table emptied first, so
point it at a scratch database). Prints every figure as a `name: value` line.

Default run: (1) 300 ms latency on every service, one application: wall time from submit to its
roll-up and the ratio to 300 ms (checks in parallel: target below 1.5); (2) 100 ms latency, 500
applications: verified applications per second, p50/p95 verification time (target 20/s).
Drills (200 applications each; every application must end in pending_acceptance or
needs_documents, with no duplicate check rows and no double roll-up):
  errors — 30% error rate on every service;
  kill   — the worker is killed with SIGKILL mid-run and started again;
  flush  — Redis is flushed mid-run (queued messages lost; the outbox relay resends them).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Measured as deployed: DEBUG off (no per-query bookkeeping).
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
# Drills: a short lease and stale window so that recovery takes seconds, not minutes.
if "--drill" in sys.argv:
    os.environ.setdefault("OUTBOX_LEASE_SECONDS", "15")
    os.environ.setdefault("OUTBOX_STALE_AFTER", "5")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from applications.models import Application, TimelineEntry  # noqa: E402
from applications.services import application_create, application_transition  # noqa: E402
from govdata.mock import registry as reg  # noqa: E402
from govdata.models import GovCall, RecordCheck  # noqa: E402
from portal.celery import app as celery_app  # noqa: E402
from portal.models import CustomerType, OutboxMessage, Role, User  # noqa: E402
from portal.outbox import outbox_relay  # noqa: E402
from tests.helpers import MockPlatform  # noqa: E402

FACE = {"face_consent": True, "face_photo": "bench-photo-" + "A" * 64}
SETTLED = {"pending_acceptance", "needs_documents"}


def out(name: str, value) -> None:
    print(f"{name}: {value}", flush=True)


class Worker:
    """`processes` govdata workers (one per core, as the compose file scales them), each a
    thread pool."""

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


def prepare() -> User:
    call_command("migrate", verbosity=0)
    call_command("loaddata", "divisions", "service_halls", verbosity=0)
    TimelineEntry.objects.all().delete()
    Application.objects.all().delete()
    RecordCheck.objects.all().delete()
    OutboxMessage.objects.all().delete()
    GovCall.objects.all().delete()
    user, _ = User.objects.get_or_create(
        username="bench_applicant",
        defaults={"role": Role.APPLICANT, "customer_type": CustomerType.RESIDENTIAL},
    )
    return user


def file_and_submit(user: User, count: int) -> list[int]:
    ids = file_drafts(user, count)
    submit(user, ids)
    return ids


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


def submit_parallel(user: User, ids: list[int], threads: int = 4) -> None:
    """Many web requests submit at once in real life; so do these producer threads."""

    def work(part: list[int]) -> None:
        submit(user, part)
        connection.close()

    workers = [threading.Thread(target=work, args=(ids[i::threads],)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()


def wait_settled(ids: list[int], timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if Application.objects.filter(pk__in=ids, state__in=SETTLED).count() == len(ids):
            break
        time.sleep(0.1)
    return time.monotonic() - started


def verification_times(ids: list[int]) -> list[float]:
    rows = TimelineEntry.objects.filter(application_id__in=ids, role="system").select_related(
        "application"
    )
    return [(r.created_at - r.application.submitted_at).total_seconds() for r in rows]


def integrity(ids: list[int]) -> None:
    states = dict(
        Application.objects.filter(pk__in=ids)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    out("applications", len(ids))
    for state, n in sorted(states.items()):
        out(f"state_{state}", n)
    out("all_settled", set(states) <= SETTLED)
    duplicates = (
        RecordCheck.objects.filter(application_id__in=ids)
        .values("application_id", "service")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    out("duplicate_check_rows", duplicates)
    double = (
        TimelineEntry.objects.filter(application_id__in=ids, role="system")
        .values("application_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    out("double_rollups", double)


def speed(user: User, platform: MockPlatform) -> None:
    wait_settled(file_and_submit(user, 20), 60)  # warm up: worker threads, pools, connections
    platform.set_faults({s: {"latency_ms": 300} for s in ("id_card", "face", "real_estate")})
    ids = file_and_submit(user, 1)
    wait_settled(ids, 60)
    single = verification_times(ids)[0]
    out("single_app_latency_ms_per_service", 300)
    out("single_app_verification_s", round(single, 3))
    out("single_app_ratio_to_300ms", round(single / 0.3, 2))

    platform.set_faults({s: {"latency_ms": 100} for s in ("id_card", "face", "real_estate")})
    ids = file_drafts(user, 500)  # filing is not verification: drafts are made before the clock
    started = time.monotonic()
    submit_parallel(user, ids)
    submit_s = time.monotonic() - started
    wait_settled(ids, 600)
    elapsed = time.monotonic() - started
    times = sorted(verification_times(ids))
    out("load_apps", len(ids))
    out("load_submit_s", round(submit_s, 2))
    out("load_wall_s", round(elapsed, 2))
    out("load_verified_apps_per_s", round(len(times) / elapsed, 1))
    out("load_verification_p50_s", round(statistics.median(times), 3))
    out("load_verification_p95_s", round(times[int(len(times) * 0.95) - 1], 3))
    integrity(ids)


def drill(kind: str, user: User, platform: MockPlatform, worker: Worker) -> None:
    services = ("id_card", "face", "real_estate")
    if kind == "errors":
        platform.set_faults({s: {"error_rate": 0.3, "latency_ms": 20} for s in services})
    else:
        platform.set_faults({s: {"latency_ms": 100} for s in services})
    count = 200
    done = threading.Event()
    ids: list[int] = []

    def submit_all():
        ids.extend(file_and_submit(user, count))
        connection.close()
        done.set()

    thread = threading.Thread(target=submit_all)
    thread.start()
    time.sleep(3)  # mid-run
    if kind == "kill":
        worker.kill()
        out("drill_worker_killed_at_settled", Application.objects.filter(state__in=SETTLED).count())
        time.sleep(2)
        worker.start()
    elif kind == "flush":
        client = celery_app.connection_for_write().default_channel.client
        client.flushdb()
        out("drill_redis_flushed_at_settled", Application.objects.filter(state__in=SETTLED).count())
    done.wait()
    thread.join()
    wall = wait_settled(ids, 600)
    out(f"drill_{kind}_settle_s", round(wall, 1))
    integrity(ids)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drill", choices=["errors", "kill", "flush"])
    args = parser.parse_args()
    if not (
        os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
    ):
        sys.exit("set DATABASE_URL (PostgreSQL) and REDIS_URL")
    celery_app.conf.task_always_eager = False
    user = prepare()
    platform = MockPlatform()
    log = ROOT / "test-artifacts" / "bench-worker.log"
    log.parent.mkdir(exist_ok=True)
    worker = Worker(platform.url, log)
    relay = Relay()
    try:
        worker.start()
        relay.start()
        if args.drill:
            drill(args.drill, user, platform, worker)
        else:
            speed(user, platform)
        out("govdata_calls", GovCall.objects.count())
    finally:
        relay.stopping.set()
        worker.stop()
        platform.stop()


if __name__ == "__main__":
    main()
