"""What `make run` starts: the portal, the mock platform and the periodic jobs, stopped
together."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import free_port, http_get, wait_for_http

ROOT = Path(__file__).resolve().parents[2]


def _ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _wait_for_line(path: Path, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not logged in {timeout} s")


@pytest.mark.parametrize("sigint", ["default", "ignored"])
def test_runportal_serves_the_site_and_the_mock_runs_the_periodic_jobs_and_stops_all(
    tmp_path, sigint
):
    """Also when started with SIGINT ignored (CI runners, nohup, background shells): its own
    handler stops it. Whatever happens, the test ends the process group it started."""
    web, mock = free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "DJANGO_ENV", "CI", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        GOVDATA_BASE_URL=f"http://127.0.0.1:{mock}",
        LOG_LEVEL="DEBUG",  # a periodic job that found nothing to do logs at DEBUG
    )
    log = tmp_path / "runportal.log"
    for step in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True, capture_output=True
        )
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runportal", f"127.0.0.1:{web}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        start_new_session=True,
        preexec_fn=_ignore_sigint if sigint == "ignored" else None,  # noqa: PLW1509
    )
    try:
        wait_for_http(f"http://127.0.0.1:{web}/healthz")
        status, body = http_get(f"http://127.0.0.1:{web}/")
        assert status == 200 and '<html lang="zh-hans">' in body and "新装" in body
        status, body = http_get(f"http://127.0.0.1:{web}/", {"Accept-Language": "en"})
        assert "New connection" in body
        status, body = http_get(f"http://127.0.0.1:{web}/readyz")
        assert status == 200 and '"database": "sqlite"' in body
        wait_for_http(f"http://127.0.0.1:{mock}/healthz")
        # Without Redis or beat, the jobs of CELERY_BEAT_SCHEDULE run in-process from the start.
        _wait_for_line(log, "periodic job approvals-mark-overdue done")
        _wait_for_line(log, "periodic job govdata-retry-unavailable done")
    finally:
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # never leave the group running
            raise
    try:
        for port in (web, mock):
            try:
                http_get(f"http://127.0.0.1:{port}/healthz")
                raise AssertionError(f"port {port} still answers after Ctrl-C")
            except OSError:
                pass
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
