"""Payment drill: 200 payments through the real topology, with everything the payment platform
can do wrong to a merchant.

    DATABASE_URL=postgres://... REDIS_URL=redis://.../N python bench/payment_drills.py

Point it at a scratch database (it is migrated, and its applications, orders and outbox are
emptied first). Starts the mock payment platform, the portal under gunicorn (it receives the
notifications), a Celery worker and Celery beat (the outbox relay and the reconciliation job on
their schedules), all on free loopback ports, and stops them at the end.

210 applications wait to pay their scheme fee (amounts with fen: 1000.01 ... ); each starts a
payment at the platform. 200 are paid: every notification sent twice, all of them released at
once in random order from many threads; 40 payments (20 % of the notifications) have both
notifications dropped, so only the reconciliation's query can find them; 5 are paid with an
amount one fen short. The 10 applications left unpaid get a forged "paid" notification each.
Prints `name: value` lines and exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WEB_PORT, PAY_PORT = free_port(), free_port()
os.environ.update(
    {
        "PAYMENT_BASE_URL": f"http://127.0.0.1:{PAY_PORT}",
        "PORTAL_BASE_URL": f"http://127.0.0.1:{WEB_PORT}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PAYMENT_QUERY_AFTER": os.environ.get("PAYMENT_QUERY_AFTER", "60"),
        "PAYMENT_RECONCILE_EVERY": os.environ.get("PAYMENT_RECONCILE_EVERY", "30"),
        "OUTBOX_RELAY_EVERY": "5",
        "DB_POOL_MAX": "24",
    }
)

from common import ROOT, out, require_services  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402

from applications.models import Application, State, TimelineEntry  # noqa: E402
from applications.services import application_create  # noqa: E402
from applications.workflows import FEE_PAID  # noqa: E402
from govdata.mock import registry as reg  # noqa: E402
from govdata.signing import signed_headers  # noqa: E402
from payments.models import Invoice, PaymentNotification, PaymentOrder  # noqa: E402
from payments.services import payment_start  # noqa: E402
from portal.models import OutboxMessage, User  # noqa: E402

PYTHON = sys.executable
Status = PaymentOrder.Status


class Processes:
    def __init__(self, logs: Path) -> None:
        self.logs, self.procs = logs, {}

    def spawn(self, name: str, *argv: str) -> None:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen(
            argv, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT
        )

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{url} did not answer")


def control(path: str, body: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"http://127.0.0.1:{PAY_PORT}/_control/{path}", data=json.dumps(body).encode()
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def prepare(count: int) -> tuple[User, list[int]]:
    call_command("migrate", verbosity=0)
    call_command("loaddata", "divisions", "service_halls", verbosity=0)
    PaymentNotification.objects.all().delete()
    Invoice.objects.all().delete()
    PaymentOrder.objects.all().delete()
    TimelineEntry.objects.all().delete()
    Application.objects.all().delete()
    OutboxMessage.objects.all().delete()
    user, _ = User.objects.update_or_create(
        username="drill_enterprise", defaults={"role": "applicant", "customer_type": "enterprise"}
    )
    ids = []
    for i in range(count):
        application, _ = application_create(
            actor=user,
            fields={
                "kind": "new_connection",
                "applicant": user,
                "customer_type": "enterprise",
                "applicant_name": "济南泉能科技有限公司",
                "credit_code": reg.DEMO_ENTERPRISE,
                "phone": "13905310001",
                "voltage": "high",
                "capacity_kva": 630,
                "supply_county_id": "370102",
                "supply_address": "历下区经十路9号",
                "channel": "web",
                "consent_version": "2026-01",
            },
        )
        # Straight to waiting for payment: the drill is about the payment, not the survey.
        fee = Decimal(1000 + i) + Decimal(i % 100) / 100
        Application.objects.filter(pk=application.pk).update(
            state=State.PAYMENT_PENDING, scheme_fee=fee
        )
        ids.append(application.pk)
    return user, ids


def forge(order: PaymentOrder) -> int:
    body = json.dumps(
        {
            "event": "payment.succeeded",
            "trade_no": order.trade_no,
            "merchant_order_no": order.merchant_order_no,
            "amount_fen": order.amount_fen,
            "currency": "CNY",
            "paid_at": "2026-11-28T10:00:00+08:00",
        }
    ).encode()
    path = "/payments/notify/"
    headers = signed_headers(settings.PAYMENT_MERCHANT_ID, "a-forgers-key", "POST", path, body)
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"http://127.0.0.1:{WEB_PORT}{path}",
        data=body,
        headers={**headers, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=200)
    parser.add_argument("--forged", type=int, default=10)
    parser.add_argument("--mismatches", type=int, default=5)
    parser.add_argument("--dropped", type=float, default=0.20)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    require_services()
    rng = random.Random(15)
    user, ids = prepare(args.payments + args.forged)
    logs = Path(tempfile.mkdtemp(prefix="payment-drill-"))
    procs = Processes(logs)
    celery = [PYTHON, "-m", "celery", "-A", "portal"]
    try:
        procs.spawn("payment-mock", PYTHON, "-m", "payments.mock", "--port", str(PAY_PORT))
        procs.spawn(
            "web", PYTHON, "-m", "gunicorn", "portal.wsgi:application", "--workers", "4",
            "--threads", "4", "--bind", f"127.0.0.1:{WEB_PORT}", "--timeout", "60",
        )  # fmt: skip
        procs.spawn(
            "worker", *celery, "worker", "-Q", "default,govdata", "-P", "threads", "-c", "16",
            "-n", "paydrill@%h", "--without-gossip", "--without-mingle", "-l", "INFO",
        )  # fmt: skip
        procs.spawn("beat", *celery, "beat", "-s", str(logs / "beat-schedule"), "-l", "INFO")
        wait_http(f"http://127.0.0.1:{PAY_PORT}/healthz")
        wait_http(f"http://127.0.0.1:{WEB_PORT}/healthz")
        time.sleep(3)  # the worker connects

        with ThreadPoolExecutor(16) as pool:
            orders = list(pool.map(lambda pk: payment_start(application_id=pk, actor=user), ids))
        rng.shuffle(orders)
        paid, unpaid = orders[: args.payments], orders[args.payments :]
        mismatched = paid[: args.mismatches]
        dropped = paid[args.mismatches : args.mismatches + int(len(paid) * args.dropped)]
        delivered = paid[args.mismatches + len(dropped) :]
        for order in mismatched:
            control(
                f"pay/{order.trade_no}",
                {"amount_fen": order.amount_fen - 1, "copies": 2, "hold": True},
            )
        for order in dropped:
            control(f"pay/{order.trade_no}", {"copies": 0})
        for order in delivered:
            control(f"pay/{order.trade_no}", {"copies": 2, "hold": True})
        out("applications", len(orders))
        out("payments", len(paid))
        out("notifications sent (twice each, shuffled)", 2 * (len(delivered) + len(mismatched)))
        out("notifications dropped", 2 * len(dropped))
        started = time.monotonic()
        control("release", {})
        forged_answers = [forge(order) for order in unpaid[: args.forged]]

        good = [o.pk for o in paid if o not in mismatched]
        delivered_ids = [o.pk for o in delivered]
        dropped_ids = [o.pk for o in dropped]
        delivered_at = found_at = None
        while time.monotonic() - started < args.timeout:
            paid_now = PaymentOrder.objects.filter(status=Status.PAID)
            if delivered_at is None and paid_now.filter(pk__in=delivered_ids).count() == len(
                delivered_ids
            ):
                delivered_at = time.monotonic() - started
            if paid_now.filter(pk__in=dropped_ids).count() == len(dropped_ids):
                found_at = time.monotonic() - started
                break
            time.sleep(0.5)
        settle = time.monotonic()  # the invoices of the last ones found, and anything late
        while time.monotonic() - settle < 60:
            if Invoice.objects.filter(order_id__in=good).count() == len(good):
                break
            time.sleep(0.5)
        time.sleep(5)

        steps = (
            TimelineEntry.objects.filter(transition=FEE_PAID.name)
            .values("application_id")
            .annotate(n=Count("id"))
        )
        once = {row["application_id"] for row in steps if row["n"] == 1}
        twice = sum(1 for row in steps if row["n"] > 1)
        good_apps = set(
            PaymentOrder.objects.filter(pk__in=good).values_list("application_id", flat=True)
        )
        invoices = Invoice.objects.filter(order_id__in=good).count()
        exactly_once = sum(
            1
            for o in PaymentOrder.objects.filter(pk__in=good, status=Status.PAID)
            if o.application_id in once
        )
        unpaid_ids = [o.pk for o in unpaid]
        forged_accepted = (
            PaymentOrder.objects.filter(pk__in=unpaid_ids).exclude(status=Status.PENDING).count()
            + PaymentNotification.objects.filter(
                order_id__in=unpaid_ids, verdict="accepted"
            ).count()
        )
        flagged = PaymentOrder.objects.filter(
            pk__in=[o.pk for o in mismatched], status=Status.FLAGGED
        ).count()
        flagged_moved = (
            Application.objects.filter(pk__in=[o.application_id for o in mismatched])
            .exclude(state=State.PAYMENT_PENDING)
            .count()
        )
        verdicts = dict(PaymentNotification.objects.values_list("verdict").annotate(n=Count("id")))
        out("applications paid exactly once", f"{exactly_once}/{len(good)}")
        out("applications moved on twice", twice)
        out("applications moved on without a paid order", len(once - good_apps))
        out("invoices issued", f"{invoices}/{len(good)}")
        out(
            "forged notifications answered 401",
            f"{forged_answers.count(401)}/{len(forged_answers)}",
        )
        out("forged accepted", forged_accepted)
        out("mismatches flagged", f"{flagged}/{len(mismatched)}")
        out("mismatched applications moved on", flagged_moved)
        out("notification verdicts", json.dumps(verdicts, sort_keys=True))
        out("seconds until every delivered payment was recorded", f"{delivered_at or -1:.1f}")
        out(
            "seconds until reconciliation found every dropped one",
            f"{found_at:.1f}" if found_at else "not found",
        )
        out(
            "reconciliation settings",
            f"query after {settings.PAYMENT_QUERY_AFTER.seconds}s, job every "
            f"{os.environ['PAYMENT_RECONCILE_EVERY']}s",
        )
        out("logs", logs)
        ok = (
            exactly_once == len(good)
            and twice == 0
            and invoices == len(good)
            and forged_accepted == 0
            and flagged == len(mismatched)
            and flagged_moved == 0
            and found_at is not None
        )
        out("result", "PASS" if ok else "FAIL")
        sys.exit(0 if ok else 1)
    finally:
        procs.stop()


if __name__ == "__main__":
    main()
