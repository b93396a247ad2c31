"""The production topology on one machine, for the drills and `make prod-local`: a private
PostgreSQL cluster and a private Redis (or the machine's own, through DATABASE_URL/REDIS_URL),
and the portal's processes as docker-compose.yml runs them — gunicorn, the `govdata` worker
(threads), the `default` worker, beat, and the mock outside services — each in its own process
group, so that a drill can kill or stop any one of them and start it again."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# Below the ephemeral range (32768+), so no outgoing connection holds them.
PG_PORT, REDIS_PORT, WEB_PORT, MOCK_PORT = 25432, 26379, 28000, 28001
PAYMENT_PORT, COURIER_PORT = 28002, 28003
DATABASE = "drill"


def out(name: str, value) -> None:
    print(f"{name}: {value}", flush=True)


def free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def wait_until(check, timeout: float, what: str) -> float:
    """Poll `check` until true; returns the moment (monotonic) it first was."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return time.monotonic()
        except Exception:  # noqa: BLE001, S110 - not up yet
            pass
        time.sleep(0.1)
    raise SystemExit(f"{what} did not come up within {timeout:.0f} s")


class Postgres:
    """A private cluster in a temporary directory."""

    def __init__(self, base: Path) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.bin = Path(found[-1]).parent
        self.data, self.log = base / "pgdata", base / "postgres.log"
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_owner, *args], check=True, stdout=subprocess.DEVNULL)

    def create(self) -> None:
        self.data.parent.chmod(0o777)
        self.data.mkdir()
        if self.as_owner:
            shutil.chown(self.data, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self.start()
        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")

    def start(self) -> None:
        options = (
            f"-p {PG_PORT} -k {self.data} -c listen_addresses=127.0.0.1 -c max_connections=300"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def answers(self) -> bool:
        with psycopg.connect(self.url, connect_timeout=1) as conn:
            return conn.execute("SELECT 1").fetchone() == (1,)


class Redis:
    def __init__(self, base: Path) -> None:
        self.log = base / "redis.log"
        self.proc: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{REDIS_PORT}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--logfile", str(self.log)],
            start_new_session=True,
        )  # fmt: skip

    def shutdown_nosave(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), "SHUTDOWN", "NOSAVE"], capture_output=True
        )
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def answers(self) -> bool:
        ping = ["redis-cli", "-p", str(REDIS_PORT), "ping"]
        return subprocess.run(ping, capture_output=True, text=True).stdout.strip() == "PONG"


class Portal:
    """The portal's processes as the compose file runs them, each in its own process group;
    any one can be killed, stopped and started again by name."""

    def __init__(
        self,
        base: Path,
        env: dict[str, str],
        web_port: int = WEB_PORT,
        mock_ports: tuple[int, int, int] = (MOCK_PORT, PAYMENT_PORT, COURIER_PORT),
    ) -> None:
        self.base, self.env, self.web_port = base, env, web_port
        self.procs: dict[str, subprocess.Popen] = {}
        celery = [PYTHON, "-m", "celery", "-A", "portal"]
        govdata, payment, courier = mock_ports
        self.commands = {
            "mock": [PYTHON, "-m", "govdata.mock", "--port", str(govdata)],
            "payment-mock": [PYTHON, "-m", "payments.mock", "--port", str(payment)],
            "courier-mock": [PYTHON, "-m", "mailing.mock", "--port", str(courier)],
            "web": [
                PYTHON, "-m", "gunicorn", "portal.wsgi:application", "--workers", "3",
                "--bind", f"127.0.0.1:{web_port}", "--timeout", "60",
            ],
            "worker-govdata": [
                *celery, "worker", "-Q", "govdata", "-P", "threads", "-c", "20",
                "-n", "govdata@%h", "--without-gossip", "--without-mingle", "-l", "INFO",
            ],
            "worker-default": [
                *celery, "worker", "-Q", "default", "-c", "4", "-n", "default@%h",
                "--without-gossip", "--without-mingle", "-l", "INFO",
            ],
            "beat": [*celery, "beat", "-s", str(base / "beat-schedule"), "-l", "INFO"],
        }  # fmt: skip
        self.env.setdefault("GOVDATA_BASE_URL", f"http://127.0.0.1:{govdata}")
        self.env.setdefault("PAYMENT_BASE_URL", f"http://127.0.0.1:{payment}")
        self.env.setdefault("COURIER_BASE_URL", f"http://127.0.0.1:{courier}")
        self.env.setdefault("PORTAL_BASE_URL", f"http://127.0.0.1:{web_port}")

    def manage(self, *args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def spawn(self, name: str) -> None:
        log = open(self.base / f"{name}.log", "a")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen(
            self.commands[name], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def ready(self) -> bool:
        url = f"http://127.0.0.1:{self.web_port}/readyz"
        return httpx.get(url, timeout=2).status_code == 200

    def start(self) -> None:
        for name in self.commands:
            self.spawn(name)
        wait_until(self.ready, 60, "the portal")
        time.sleep(3)  # the workers connect

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group of `name` (a worker and its pool) and reap it."""
        proc = self.procs[name]
        os.killpg(proc.pid, sig)
        proc.wait(timeout=30)

    def kill_child(self, name: str) -> int:
        """SIGKILL one child of `name` (a gunicorn worker: the master starts another)."""
        children = Path(f"/proc/{self.procs[name].pid}/task/{self.procs[name].pid}/children")
        pid = int(children.read_text().split()[0])
        os.kill(pid, signal.SIGKILL)
        return pid

    def alive(self) -> list[str]:
        return [name for name, proc in self.procs.items() if proc.poll() is None]

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def private_topology(name: str, **env: str) -> tuple[Path, Postgres, Redis, Portal]:
    """A private PostgreSQL cluster and Redis in a new temporary directory, and the portal's
    processes configured against them as deployed (DEBUG off); `env` adds to the environment."""
    base = Path(tempfile.mkdtemp(prefix=f"portal-{name}-"))
    postgres, redis = Postgres(base), Redis(base)
    environment = {
        **os.environ,
        "DATABASE_URL": postgres.url,
        "REDIS_URL": redis.url,
        "DEBUG": "false",
        "SECRET_KEY": f"{name}-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(base / "media"),
        "DB_POOL_MAX": "30",
        **env,
    }
    return base, postgres, redis, Portal(base, environment)


def servers_start(postgres: Postgres, redis: Redis, portal: Portal) -> None:
    """Create and start the private servers, and migrate the portal's database."""
    postgres.create()
    redis.start()
    wait_until(redis.answers, 10, "redis")
    portal.manage("migrate", "--noinput", "-v", "0")
