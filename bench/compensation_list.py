"""The supervisors' compensation list on a seeded province (issue #14).

    DATABASE_URL=postgres://…/db python bench/compensation_list.py [--refresh] [--pages N]

With `--refresh`, first runs `promises_refresh` (applications written by `seed_history` took no
step, so their accrual was never kept) and prints how long it took. Then, through Django's
whole stack with DEBUG off, requests the first `--pages` pages of /promises/compensation/ as a
supervisor and prints, per page, the queries and the milliseconds, with the number of
applications listed. The queries must not grow with the number of applications."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from applications.models import Application  # noqa: E402
from portal.models import Role, User  # noqa: E402
from promises.selectors import compensation_late  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--pages", type=int, default=5)
    args = parser.parse_args()
    print(f"applications: {Application.objects.count()}")
    if args.refresh:
        started = time.perf_counter()
        call_command("promises_refresh")
        print(f"promises_refresh: {time.perf_counter() - started:.1f} s")
    print(f"listed (late or credited): {compensation_late().count()}")
    supervisor, _ = User.objects.get_or_create(
        username="bench_supervisor", defaults={"role": Role.SUPERVISOR}
    )
    client = Client()
    client.force_login(supervisor)
    timings = []
    for page in range(1, args.pages + 1):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/promises/compensation/", {"page": page})
            took = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        rows = response.content.decode().count("data-application=")
        timings.append(took)
        print(f"page {page}: {rows} rows, {len(queries)} queries, {took:.0f} ms")
    print(f"median page: {statistics.median(timings):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
