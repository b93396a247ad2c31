"""The supervisors' figures at a million applications (issue #13).

    DATABASE_URL=postgres://…/supervision_bench [REDIS_URL=…] python bench/kpis.py [--count N]

Seeds the province's history on PostgreSQL with `seed_history --scenario reform` (the reform
year's headline figures, 500,000 applications) plus `--count - 500,000` applications in the two
years before (skipped when the database already holds them), checks that `reconcile_kpis` finds
no difference, then prints p50 and p95 over 50 requests each for the dashboard, the KPI API and
the transparency page (target p95 < 300 ms), the headline figures the dashboard shows for 2025,
and the peak memory of a process streaming the CSV export of every application (< 200 MB).
Requests run in process through Django's whole middleware stack with DEBUG off."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # Django's test client, in process

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from applications.models import Application  # noqa: E402
from portal.models import Role, User  # noqa: E402

SCENARIO_SIZE = 500_000
P95_TARGET_MS = 300
MEMORY_TARGET_MB = 200


def out(name: str, value) -> None:
    print(f"{name}: {value}", flush=True)


def manage(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)
    return time.perf_counter() - started


def timings(client, path: str, n: int, before=None) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def export_only() -> None:
    """Stream the CSV of every application to nowhere; print rows, seconds and peak memory."""
    supervisor, _ = User.objects.get_or_create(username="bench-supervisor", role=Role.SUPERVISOR)
    client = Client()
    client.force_login(supervisor)
    started = time.perf_counter()
    response = client.get("/supervision/export/applications.csv")
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out("export rows (with header)", rows)
    out("export size MB", round(size / 1e6, 1))
    out("export seconds", round(time.perf_counter() - started, 1))
    out("export peak memory MB", round(peak_mb, 1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--export-only", action="store_true")
    parser.add_argument("--skip-reconcile", action="store_true", help="When measuring again.")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database of your own")
    if options.export_only:
        export_only()
        return
    manage("migrate", "--verbosity", "0")
    have = Application.objects.filter(number__startswith="HS0001").count()
    if have == 0:
        extra = max(options.count - SCENARIO_SIZE, 0)
        seconds = manage(
            "seed_history", "--scenario", "reform", "--count", str(extra), "--seed", "1"
        )
        out("seed seconds", round(seconds, 1))
    out("applications", Application.objects.count())
    if not options.skip_reconcile:
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "reconcile_kpis"],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        out("reconcile_kpis", result.stdout.strip().splitlines()[-1])
        out("reconcile seconds", round(time.perf_counter() - started, 1))

    supervisor, _ = User.objects.get_or_create(username="bench-supervisor", role=Role.SUPERVISOR)
    client = Client()
    client.force_login(supervisor)
    reform = "?date_from=2025-01&date_to=2025-12"
    figures = client.get(f"/api/v1/stats/kpis/{reform}").json()
    out("2025 cities", figures["totals"]["cities"])
    out("2025 online applications", figures["totals"]["online"])
    out("2025 government-interface calls", figures["gov_calls"]["total"])
    out("2025 zero-or-one-certificate applications", figures["totals"]["zero_or_one"])
    out("2025 approvals within the limit %", figures["approvals"]["share"])
    out("2025 paid online (yuan)", figures["totals"]["paid_online_yuan"])
    public = Client()
    failed = False
    for name, requester, path, before in (
        ("dashboard", client, "/supervision/", None),
        ("dashboard 2025", client, f"/supervision/{reform}", None),
        ("dashboard one county", client, "/supervision/?county=370102", None),
        ("dashboard one channel", client, "/supervision/?channel=wechat", None),
        ("KPI API", client, "/api/v1/stats/kpis/", None),
        ("transparency (cached)", public, "/transparency/", None),
        ("transparency (uncached)", public, "/transparency/", cache.clear),
    ):
        p50, p95 = timings(requester, path, options.requests, before)
        out(f"{name} p50/p95 ms", f"{p50:.0f} / {p95:.0f}")
        failed |= name in ("dashboard", "KPI API", "transparency (cached)") and p95 > P95_TARGET_MS
    result = subprocess.run(
        [sys.executable, __file__, "--export-only"], capture_output=True, text=True, check=True
    )
    print(result.stdout, end="")
    peak = float(result.stdout.strip().splitlines()[-1].split(": ")[1])
    failed |= peak > MEMORY_TARGET_MB
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
