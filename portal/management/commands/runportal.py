"""`make run`: the portal, the mock government and payment platforms, the mock courier and the
periodic jobs, stopped together.

With the embedded default (no REDIS_URL) tasks run eagerly inside whichever process commits them;
`run_periodic` stands in for Celery beat: it runs every entry of CELERY_BEAT_SCHEDULE (the outbox
relay, retries of unavailable checks, overdue tasks, reminders, sweeps) on its schedule.
"""

import contextlib
import signal
import subprocess
import sys
from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the portal (runserver), the mock government platform and the periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        mock = urlparse(settings.GOVDATA_BASE_URL)
        payment = urlparse(settings.PAYMENT_BASE_URL)
        courier = urlparse(settings.COURIER_BASE_URL)
        python = sys.executable
        commands = [
            [
                python,
                "-m",
                "govdata.mock",
                "--host",
                mock.hostname or "127.0.0.1",
                "--port",
                str(mock.port or 8001),
            ],
            [
                python,
                "-m",
                "payments.mock",
                "--host",
                payment.hostname or "127.0.0.1",
                "--port",
                str(payment.port or 8002),
            ],
            [
                python,
                "-m",
                "mailing.mock",
                "--host",
                courier.hostname or "127.0.0.1",
                "--port",
                str(courier.port or 8003),
            ],
            [python, "manage.py", "run_periodic"],
            [python, "manage.py", "runserver", addrport, "--noreload"],
        ]
        procs = [subprocess.Popen(cmd) for cmd in commands]  # noqa: S603 - fixed argv, no shell
        self.stdout.write(
            f"Portal on http://{addrport}/ · mock government platform on "
            f"{settings.GOVDATA_BASE_URL} · mock payment platform on "
            f"{settings.PAYMENT_BASE_URL} · mock courier on {settings.COURIER_BASE_URL} · "
            "Ctrl-C stops all"
        )
        stop = {"now": False}

        def _stop(*_):
            stop["now"] = True

        # Our own handlers for both: a shell, a CI runner or nohup may have started us with
        # SIGINT ignored, and Ctrl-C must still stop everything.
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        try:
            # Run until Ctrl-C, SIGTERM, or any one of the three exits.
            while not stop["now"] and all(p.poll() is None for p in procs):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    procs[-1].wait(timeout=0.5)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        exited = [" ".join(p.args[1:3]) for p in procs if p.returncode not in (0, -signal.SIGTERM)]
        if exited and not stop["now"]:
            self.stderr.write(f"stopped because a process exited: {exited}")
