"""Recovery drill on the production topology: PostgreSQL restarted, then Redis shut down without
saving and started again, each while clients file and submit applications through the API.

    python bench/drill.py [--apps 120] [--clients 8] [--outage 5]

Starts everything itself, on loopback ports of its own, and stops it all at the end: a private
PostgreSQL cluster (Debian's server binaries; as root it runs them as the `postgres` user) and a
private Redis, then the portal as deployed — gunicorn with 3 workers, the `govdata` worker
(threads) and the `default` worker, beat, and the mock government platform. Nothing of the
machine's own PostgreSQL or Redis is touched.

For each fault, `--clients` threads file and submit `--apps` applications (an Idempotency-Key
per filing, so a retried filing is not a second application), honouring `Retry-After` on 503 and
retrying after a dropped connection. A third of the way in, the dependency is stopped for
`--outage` seconds and started again. Printed per fault: how the API answered (500s must be 0),
lost and duplicated work (both must be 0), and the time from the dependency answering again to
every application settled (its checks answered: target under 30 s).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.topology import (  # noqa: E402
    COURIER_PORT,
    MOCK_PORT,
    PAYMENT_PORT,
    PG_PORT,
    REDIS_PORT,
    ROOT,
    WEB_PORT,
    Portal,
    free,
    out,
    private_topology,
    servers_start,
    wait_until,
)
from govdata.mock.services import SERVICES  # noqa: E402 - the mock's own, Django-free

SETTLED = ("pending_acceptance", "needs_documents")
PASSWORD = "drill-password-1"  # noqa: S105 - accounts of a throw-away database
FACE = {"face_consent": True, "face_photo": "data:image/jpeg;base64," + "A" * 64}
SETTLE_TIMEOUT = 180.0


@dataclass
class Tally:
    """What the clients saw."""

    statuses: Counter = field(default_factory=Counter)
    retry_after_missing: int = 0
    dropped: int = 0
    keys: list[str] = field(default_factory=list)
    submitted: dict[int, float] = field(default_factory=dict)
    gave_up: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    """One applicant's API client: retries what the portal says to retry."""

    def __init__(self, username: str, tally: Tally) -> None:
        self.tally = tally
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{WEB_PORT}/api/v1", timeout=30)
        token = self.call("POST", "/auth/token/", {"username": username, "password": PASSWORD})
        self.http.headers["Authorization"] = f"Token {token.json()['token']}"

    def call(self, method: str, path: str, body=None, headers=None) -> httpx.Response:
        for _attempt in range(200):
            try:
                response = self.http.request(method, path, json=body, headers=headers)
            except httpx.TransportError:
                with self.tally.lock:
                    self.tally.dropped += 1
                time.sleep(0.5)
                continue
            with self.tally.lock:
                self.tally.statuses[response.status_code] += 1
            if response.status_code == 503:
                if "Retry-After" not in response.headers:
                    with self.tally.lock:
                        self.tally.retry_after_missing += 1
                time.sleep(min(float(response.headers.get("Retry-After", "1")), 2.0))
                continue
            if response.status_code >= 500:
                time.sleep(1.0)  # counted: a 500 tells the client nothing
                continue
            return response
        raise RuntimeError(f"{method} {path}: no answer after 200 tries")

    def file_and_submit(self, body: dict) -> None:
        key = uuid.uuid4().hex
        with self.tally.lock:
            self.tally.keys.append(key)
        filed = self.call("POST", "/applications/", body, {"Idempotency-Key": key})
        if filed.status_code not in (200, 201):
            raise RuntimeError(f"filing refused: {filed.status_code} {filed.text[:300]}")
        pk = filed.json()["id"]
        submitted = self.call("POST", f"/applications/{pk}/transitions/submit/", FACE)
        if submitted.status_code == 409:  # the first try went through; its answer was lost
            state = self.call("GET", f"/applications/{pk}/").json()["state"]
            if state == "draft":
                raise RuntimeError(f"submit refused: {submitted.text[:300]}")
        elif submitted.status_code != 200:
            raise RuntimeError(f"submit refused: {submitted.status_code} {submitted.text[:300]}")
        with self.tally.lock:
            self.tally.submitted[pk] = time.monotonic()


class Watcher(threading.Thread):
    """Notes when each application is first seen settled, through its own connection (which
    the outage breaks too: it reconnects)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.settled: dict[int, float] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        conn = None
        while not self.stopping.wait(0.2):
            try:
                if conn is None or conn.closed:
                    conn = psycopg.connect(self.url, autocommit=True, connect_timeout=1)
                rows = conn.execute(
                    "SELECT id FROM applications_application WHERE state = ANY(%s)", [list(SETTLED)]
                ).fetchall()
            except psycopg.Error:
                conn = None
                continue
            now = time.monotonic()
            for (pk,) in rows:
                self.settled.setdefault(pk, now)


def prepare_accounts(portal: Portal, count: int) -> list[str]:
    """One applicant per client, each bound to a person of their own (a real-name account)."""
    names = [f"drill{i:02d}" for i in range(count)]
    code = (
        "from portal.accounts import applicant_account_create\n"
        "from portal.identity import identity_bind\n"
        "from portal.models import IdentityBinding\n"
        "from tests.factories import unique_identity\n"
        f"for i, name in enumerate({names!r}):\n"
        "    user = applicant_account_create(\n"
        "        phone=f'1390531{i:04d}', customer_type='residential'\n"
        "    )\n"
        "    user.username = name\n"
        f"    user.set_password({PASSWORD!r})\n"
        "    user.save()\n"
        "    person = unique_identity(9000 + i)\n"
        "    identity_bind(user=user, name=person['name'], id_number=person['id_number'],\n"
        "                  method=IdentityBinding.Method.ONLINE_FACE)\n"
    )
    portal.manage("shell", "-c", code)
    return names


def application_body(phone: str) -> dict:
    return {  # for oneself: name and ID number come from the account's bound identity
        "kind": "new_connection",
        "phone": phone,
        "voltage": "low",
        "capacity_kva": "10",
        "supply_county": "370102",
        "supply_address": "历下区泉城路1号",
        "data_sharing_consent": True,
    }


def run_fault(
    name: str, fault, clients: list[Client], apps: int, url: str, recover_within: float = 30.0
) -> bool:
    """File and submit `apps` applications while `fault()` runs a third of the way in; returns
    whether every target held."""
    tally = Tally()
    for client in clients:
        client.tally = tally
    watcher = Watcher(url)
    watcher.start()
    back: list[float] = []
    started = time.monotonic()

    def one(i: int) -> None:
        client = clients[i % len(clients)]
        try:
            client.file_and_submit(application_body(f"1390531{i % len(clients):04d}"))
        except RuntimeError as exc:
            with tally.lock:
                tally.gave_up += 1
            print(f"# {name}: {exc}", file=sys.stderr)

    filing_done = threading.Event()

    def inject() -> None:
        while len(tally.submitted) < apps // 3 and not filing_done.is_set():
            time.sleep(0.05)
        back.append(fault())

    injector = threading.Thread(target=inject)
    injector.start()
    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        list(pool.map(one, range(apps)))
    filing_done.set()
    injector.join()
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline and not set(tally.submitted) <= set(watcher.settled):
        time.sleep(0.2)
    watcher.stopping.set()
    watcher.join()

    with psycopg.connect(url, autocommit=True) as conn:
        ids = list(tally.submitted)
        filed = conn.execute(
            "SELECT count(*) FROM applications_application WHERE created_at >= now() - interval "
            "'1 hour' AND id = ANY(%s)",
            [ids],
        ).fetchone()[0]
        twice_checked = conn.execute(
            "SELECT count(*) FROM (SELECT application_id, service FROM govdata_recordcheck "
            "WHERE application_id = ANY(%s) GROUP BY 1, 2 HAVING count(*) > 1) AS d",
            [ids],
        ).fetchone()[0]
        twice_submitted = conn.execute(
            "SELECT count(*) FROM (SELECT application_id FROM applications_timelineentry "
            "WHERE application_id = ANY(%s) AND from_state = 'draft' GROUP BY 1 "
            "HAVING count(*) > 1) AS d",
            [ids],
        ).fetchone()[0]
        unsettled = conn.execute(
            "SELECT count(*) FROM applications_application WHERE id = ANY(%s) "
            "AND NOT state = ANY(%s)",
            [ids, list(SETTLED)],
        ).fetchone()[0]
    lost = len(set(tally.submitted) - set(watcher.settled)) + tally.gave_up
    duplicated = (len(ids) - len(set(ids))) + twice_checked + twice_submitted
    duplicated += len(tally.keys) - len(ids) - tally.gave_up  # a key that made two applications
    last = max(watcher.settled.get(pk, deadline) for pk in ids) if ids else started
    came_back = back[0]
    # The backlog: what was submitted before the dependency came back, settled how long after.
    before = [pk for pk in ids if tally.submitted[pk] < came_back]
    recovered = max((watcher.settled.get(pk, deadline) - came_back for pk in before), default=0)
    # Every application: from when it could move on (submitted, or the dependency back) to settled.
    latency = max(
        (watcher.settled.get(pk, deadline) - max(tally.submitted[pk], came_back) for pk in ids),
        default=0,
    )
    after = [t for t in tally.submitted.values() if t >= came_back]
    rate_after = len(after) / max(max(after, default=came_back) - came_back, 1e-9)
    ahead = [t for t in tally.submitted.values() if t < came_back]
    rate_before = len(ahead) / max(max(ahead, default=started) - started, 1e-9)
    out(f"{name}.applications", f"{len(ids)} submitted, {filed} in the database")
    out(f"{name}.api_answers", dict(sorted(tally.statuses.items())))
    five_hundreds = sum(n for code, n in tally.statuses.items() if code >= 500 and code != 503)
    out(f"{name}.api_500", five_hundreds)
    out(f"{name}.api_503_without_retry_after", tally.retry_after_missing)
    out(f"{name}.connections_dropped", tally.dropped)
    out(f"{name}.lost", lost)
    out(f"{name}.unsettled_in_database", unsettled)
    out(f"{name}.duplicated", duplicated)
    out(f"{name}.run_seconds", f"{last - started:.1f}")
    out(f"{name}.submitted_per_second_before_after", f"{rate_before:.1f} / {rate_after:.1f}")
    out(f"{name}.backlog_submitted_before_back", len(before))
    out(f"{name}.backlog_settled_after_back_seconds", f"{max(recovered, 0.0):.1f}")
    out(f"{name}.max_settle_latency_seconds", f"{max(latency, 0.0):.1f}")
    out(f"{name}.recovery_target_seconds", f"{recover_within:.0f}")
    return (
        lost == 0
        and duplicated == 0
        and unsettled == 0
        and five_hundreds == 0
        and tally.retry_after_missing == 0
        and recovered <= recover_within
        and latency <= recover_within
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=120)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--outage", type=float, default=5.0, help="seconds a dependency is down")
    parser.add_argument(
        "--faults",
        default="postgres,redis",
        help="which, comma-separated: postgres, redis, web, worker-govdata, worker-default, mock",
    )
    parser.add_argument(
        "--mock-outage", type=float, default=60.0, help="seconds the mock platform is stopped"
    )
    parser.add_argument(
        "--latency-ms",
        type=int,
        default=400,
        help="the mock platform's answer time, so that checks are in flight when a fault hits",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop what was started, then exit
    for port in (PG_PORT, REDIS_PORT, WEB_PORT, MOCK_PORT, PAYMENT_PORT, COURIER_PORT):
        if not free(port):
            raise SystemExit(f"port {port} is taken: is another drill running?")
    faults = {code: {"latency_ms": args.latency_ms} for code in SERVICES}
    base, postgres, redis, portal = private_topology(
        "drill", GOVDATA_MOCK_FAULTS=json.dumps(faults)
    )
    ok = False
    try:
        servers_start(postgres, redis, portal)
        portal.manage("loaddata", "divisions", "service_halls", "departments", "-v", "0")
        names = prepare_accounts(portal, args.clients)
        portal.start()
        tally = Tally()
        clients = [Client(name, tally) for name in names]
        out("topology", "gunicorn x3, worker govdata (threads), worker default, beat, 3 mocks")
        out("apps_per_fault", args.apps)
        out("clients", args.clients)
        out("outage_seconds", args.outage)
        out("platform_latency_ms", args.latency_ms)

        def restart_postgres() -> float:
            postgres.stop()
            time.sleep(args.outage)
            postgres.start()
            return wait_until(postgres.answers, 60, "postgres")

        def restart_redis() -> float:
            redis.shutdown_nosave()
            time.sleep(args.outage)
            redis.start()
            return wait_until(redis.answers, 30, "redis")

        def kill_web_worker() -> float:
            portal.kill_child("web")  # the gunicorn master starts another
            return wait_until(portal.ready, 30, "the web workers")

        def kill_and_restart(name: str):
            def fault() -> float:
                portal.kill(name)  # SIGKILL: no warm shutdown, tasks in hand are lost
                time.sleep(args.outage)  # until the supervisor (compose) starts it again
                portal.spawn(name)
                log = portal.base / f"{name}.log"
                return wait_until(lambda: log.read_text().count("ready.") >= 2, 60, name)

            return fault

        def stop_mock() -> float:
            portal.kill("mock", signal.SIGTERM)
            time.sleep(args.mock_outage)
            portal.spawn("mock")
            return wait_until(lambda: not free(MOCK_PORT), 30, "the mock platform")

        faults = {
            "postgres": restart_postgres,
            "redis": restart_redis,
            "web": kill_web_worker,
            "worker-govdata": kill_and_restart("worker-govdata"),
            "worker-default": kill_and_restart("worker-default"),
            "mock": stop_mock,
        }
        chosen = args.faults.split(",")
        repeat = {name: chosen.count(name) > 1 for name in chosen}
        results = [
            run_fault(
                f"{name}_restart" + (f"_{chosen[: i + 1].count(name)}" if repeat[name] else ""),
                faults[name],
                clients,
                args.apps,
                postgres.url,
                # A killed worker's claims are retaken when their outbox lease (30 s) runs out.
                recover_within=45.0 if name.startswith("worker") else 30.0,
            )
            for i, name in enumerate(chosen)
        ]
        survivors = portal.alive()
        out("processes_alive_after", f"{len(survivors)}/{len(portal.procs)} {survivors}")
        ok = all(results) and len(survivors) == len(portal.procs)
        out("targets_met", ok)
    finally:
        portal.stop()
        if redis.proc is not None and redis.proc.poll() is None:
            redis.shutdown_nosave()
        with contextlib.suppress(subprocess.CalledProcessError):
            postgres.stop()
        logs = ROOT / "test-artifacts" / "drill"
        shutil.rmtree(logs, ignore_errors=True)
        logs.mkdir(parents=True)
        for log in base.glob("*.log"):
            shutil.copy(log, logs / log.name)
        shutil.rmtree(base, ignore_errors=True)
        out("logs", "test-artifacts/drill/")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
