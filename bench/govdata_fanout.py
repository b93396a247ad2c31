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
import statistics
import sys
import threading
import time

# Drills: a short lease and stale window so that recovery takes seconds, not minutes.
if "--drill" in sys.argv:
    os.environ.setdefault("OUTBOX_LEASE_SECONDS", "15")
    os.environ.setdefault("OUTBOX_STALE_AFTER", "5")

from common import (  # noqa: E402 - sets Django up first
    SETTLED,
    Worker,
    file_drafts,
    out,
    percentile,
    require_services,
    running,
    submit,
    wait_settled,
)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from applications.models import Application, TimelineEntry  # noqa: E402
from govdata.models import GovCall, RecordCheck  # noqa: E402
from portal.celery import app as celery_app  # noqa: E402
from portal.models import CustomerType, OutboxMessage, Role, User  # noqa: E402
from tests.helpers import MockPlatform  # noqa: E402


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
    out("load_verification_p95_s", round(percentile(times, 0.95), 3))
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
    require_services()
    user = prepare()
    with running("govdata") as (platform, worker):
        if args.drill:
            drill(args.drill, user, platform, worker)
        else:
            speed(user, platform)
        out("govdata_calls", GovCall.objects.count())


if __name__ == "__main__":
    main()
