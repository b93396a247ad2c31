"""Fault drills on the production topology, one after another under the drill's API load:
SIGKILL a web worker, SIGKILL each Celery worker (started again after the outage, as compose
restarts it), restart PostgreSQL, SHUTDOWN NOSAVE Redis and start it again, stop the mock
government platform for 60 s.

    python bench/chaos.py [--apps 120] [--clients 8] [--outage 5] [--mock-outage 60]

Everything runs on private servers and ports of its own (see bench/drill.py, which this calls
with every fault). After each fault it prints what the API answered, lost and duplicated work
(both must be 0), server errors (none but while PostgreSQL is down, and those only as 503 with
Retry-After) and the time to recover.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import drill  # noqa: E402

ALL_FAULTS = "web,worker-govdata,worker-default,postgres,redis,mock"

if __name__ == "__main__":
    if not any(arg.startswith("--faults") for arg in sys.argv[1:]):
        sys.argv[1:1] = ["--faults", ALL_FAULTS]
    drill.main()
