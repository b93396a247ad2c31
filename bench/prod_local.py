"""`make prod-local`: the processes of docker-compose.yml on this machine, against the
PostgreSQL and Redis named by DATABASE_URL and REDIS_URL — gunicorn (3 workers) on
http://127.0.0.1:8000, the `govdata` worker (threads), the `default` worker, beat, and the mock
government platform, payment platform and courier on 8001–8003. Migrates and loads the reference
data first; logs go to test-artifacts/prod-local/. Ctrl-C stops everything.

For the load test (bench/load.py) and the fault drills (bench/chaos.py starts its own)."""

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.topology import ROOT, Portal, free  # noqa: E402

PORTS = (8000, 8001, 8002, 8003)


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database (and REDIS_URL)")
    if not os.environ.get("REDIS_URL"):
        sys.exit("set REDIS_URL")
    taken = [port for port in PORTS if not free(port)]
    if taken:
        sys.exit(f"ports taken: {taken} (is make run going?)")
    logs = ROOT / "test-artifacts" / "prod-local"
    logs.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "prod-local-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(logs / "media")),
    }
    portal = Portal(logs, env, web_port=PORTS[0], mock_ports=PORTS[1:])
    portal.manage("migrate", "--noinput", "-v", "0")
    portal.manage("loaddata", "divisions", "service_halls", "departments", "-v", "0")
    stopping = []
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    try:
        portal.start()
        print(
            "gunicorn on http://127.0.0.1:8000/ · workers govdata and default · beat · mocks on "
            "8001-8003 · logs in test-artifacts/prod-local/ · Ctrl-C stops all",
            flush=True,
        )
        while not stopping:
            gone = [name for name in portal.procs if name not in portal.alive()]
            if gone:
                print(f"stopped on its own: {gone} (see its log)", flush=True)
                break
            time.sleep(1)
    finally:
        portal.stop()


if __name__ == "__main__":
    main()
