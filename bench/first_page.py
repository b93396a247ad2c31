"""How long a newcomer waits: clone the repository as it is committed, run `make run` in the
clone, and print the seconds until the portal's home page answers 200, with the time of each
phase (virtualenv and install, migrate, demo data, start).

    python bench/first_page.py [--port 8000] [--cold]

`--cold` gives the clone an empty pip (and uv) cache of its own, as on a fresh machine: every
package is downloaded. Without it the machine's caches are used. The clone and its caches are
removed afterwards. Uses the ports `make run` uses (8000–8003 by default), so nothing else may
hold them.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Lines `make` echoes for each phase, in order: the first line of each marks its start.
PHASES = [
    ("install", re.compile(r"-m venv|uv venv")),
    ("migrate", re.compile(r"manage\.py migrate")),
    ("demo data", re.compile(r"manage\.py seed_demo")),
    ("start", re.compile(r"manage\.py runportal")),
]


def answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--cold", action="store_true", help="empty package caches")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="first-page-"))
    clone = work / "portal"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.pop("VIRTUAL_ENV", None)
    if args.cold:
        env["PIP_CACHE_DIR"] = str(work / "pip-cache")
        env["UV_CACHE_DIR"] = str(work / "uv-cache")
    started = time.monotonic()
    marks: dict[str, float] = {}
    process = subprocess.Popen(
        ["make", "run", f"PORT={args.port}"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def read() -> None:
        for line in process.stdout:
            for phase, pattern in PHASES:
                if phase not in marks and pattern.search(line):
                    marks[phase] = time.monotonic() - started

    threading.Thread(target=read, daemon=True).start()
    first_page = None
    try:
        while time.monotonic() - started < args.timeout:
            if process.poll() is not None:
                sys.exit(f"make run stopped with {process.returncode} before the first page")
            if answers(args.port):
                first_page = time.monotonic() - started
                break
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)
    if first_page is None:
        sys.exit(f"no first page within {args.timeout:.0f} s")
    ordered = [(phase, marks[phase]) for phase, _ in PHASES if phase in marks]
    for (phase, at), nxt in zip(ordered, [*ordered[1:], ("first page", first_page)], strict=True):
        print(f"{phase}: {nxt[1] - at:.1f} s")
    print(f"caches: {'empty' if args.cold else 'warm'}")
    print(f"first page after: {first_page:.1f} s (target < 90 s)")


if __name__ == "__main__":
    main()
