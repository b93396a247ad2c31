"""Load test from outside: the production topology on this machine (private PostgreSQL and
Redis, gunicorn, the Celery workers, beat, the mocks; see bench/topology.py) with the demo data,
and locust's `bench/locustfile.py` mix — residents on their pages and their app, a clerk, an
engineer, an approver and a supervisor — for a fixed time.

    python bench/load.py [--users 50] [--seconds 60]

Needs locust (`pip install -e '.[bench]'`). Prints throughput and p50/p95 per request type and
whether the targets hold: p95 under 300 ms for pages, under 200 ms for API reads. The figures
are of the steady state: they are counted for `--seconds` from 25 s after the last user started
(bench/locustfile.py), when every user has signed in.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.topology import (  # noqa: E402
    PYTHON,
    ROOT,
    WEB_PORT,
    out,
    private_topology,
    servers_start,
)

TARGETS_MS = {"page": 300, "api": 200}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    base, postgres, redis, portal = private_topology("load")
    ok = False
    try:
        servers_start(postgres, redis, portal)
        subprocess.run(
            [PYTHON, "manage.py", "seed_demo"], cwd=ROOT, env=portal.env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        portal.start()
        stats = base / "stats"
        subprocess.run(
            [
                PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                "--headless", "--users", str(args.users), "--spawn-rate", "10",
                "--run-time", f"{args.seconds + 30}s", "--host", f"http://127.0.0.1:{WEB_PORT}",
                "--csv", str(stats), "--only-summary", "--loglevel", "WARNING",
            ],
            cwd=ROOT, check=False, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        out("users", args.users)
        out("seconds", args.seconds)
        ok = report(stats.with_name("stats_stats.csv"))
        out("processes_alive_after", f"{len(portal.alive())}/{len(portal.procs)}")
        out("targets_met", ok)
    finally:
        portal.stop()
        if redis.proc is not None and redis.proc.poll() is None:
            redis.shutdown_nosave()
        postgres.stop()
        shutil.rmtree(base, ignore_errors=True)
    sys.exit(0 if ok else 1)


def report(path: Path) -> bool:
    ok = True
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        name = row["Name"]
        if name == "Aggregated":
            out("total", f"{float(row['Requests/s']):.1f} req/s, failures {row['Failure Count']}")
            continue
        if row["Request Count"] == "0":  # the sign-ins: all during the warm-up
            continue
        p50, p95 = row["50%"], row["95%"]
        kind = name.split()[0]
        target = TARGETS_MS.get(kind) if not name.startswith("api write") else None
        target = None if name in {"page sign-in", "page sign-in (post)", "api token"} else target
        held = target is None or float(p95) < target
        ok &= held and row["Failure Count"] == "0"
        verdict = "" if target is None else f" (target < {target}: {'met' if held else 'MISSED'})"
        out(
            name,
            f"{row['Request Count']} requests, {float(row['Requests/s']):.1f}/s, "
            f"p50 {p50} ms, p95 {p95} ms, failures {row['Failure Count']}{verdict}",
        )
    return ok


if __name__ == "__main__":
    main()
