"""Shared fixtures: one user per role (and an outsider), reference data, and Celery mode.

Unit tests run Celery eagerly whatever the environment says; tests marked `integration` use the
real broker and worker (see tests/integration/conftest.py).
"""

import copy
import importlib
import os
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from govdata.client import GovDataClient
from portal.celery import app as celery_app
from portal.models import Division, User
from promises.models import CommitmentSet
from tests.factories import QUANNENG, ZHANG_WEI, UserFactory, make_account
from tests.helpers import RUN_STATS, MockPlatform, MockService


def pytest_configure(config):
    """Under pytest-xdist (`make test` runs the suite on every core) each worker has its own test
    database (pytest-django adds the worker's suffix to its name) and its own Redis database, so
    that one worker's broker messages, cache entries and integration-tier Celery worker never
    meet another's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not django_settings.REDIS_URL:
        return
    parts = urlsplit(django_settings.REDIS_URL)
    database = int(parts.path.strip("/") or 0) + int(worker[2:])
    if database > 15:
        raise pytest.UsageError("Redis has databases 0-15: use fewer xdist workers")
    url = urlunsplit(parts._replace(path=f"/{database}"))
    django_settings.REDIS_URL = django_settings.CELERY_BROKER_URL = url
    celery_app.conf.broker_url = url


# Tests that share a heavy resource run on one xdist worker: the browser (one Chromium per
# worker) and the integration tier (one Celery worker process per xdist worker).
SERIAL_GROUPS = {"browser", "integration"}


def pytest_collection_modifyitems(config, items):
    tests = Path(__file__).parent
    for item in items:
        folder = Path(item.fspath).relative_to(tests).parts[0]
        if folder in SERIAL_GROUPS:
            item.add_marker(pytest.mark.xdist_group(folder))


@pytest.fixture(autouse=True)
def _celery_mode(request):
    eager = request.node.get_closest_marker("integration") is None
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _private_cache(settings, request):
    """Each test its own empty cache (rate-limit counters included), never the shared Redis
    one: clearing that would also flush the broker's queues."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{request.node.nodeid}",
        }
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def totp_required(settings):
    """Staff sign in with a TOTP code too, as in production; django-otp's growing delay after a
    wrong code is off so that a test may give the right one at once."""
    settings.SIGNIN_TOTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    def client_for(user=None, language="en"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def gov_platform():
    """The government platform at the client choke point, answering in process."""
    from unittest import mock

    from tests.fakes import InProcessPlatform

    platform = InProcessPlatform()
    with (
        mock.patch("govdata.services.get_client", return_value=platform),
        mock.patch("applications.handoffs.get_client", return_value=platform),
        mock.patch("govdata.identity.get_client", return_value=platform),
        mock.patch("govdata.holdings.get_client", return_value=platform),
    ):
        yield platform


@pytest.fixture
def reference_data(db):
    call_command("loaddata", "divisions", "service_halls", verbosity=0)


@pytest.fixture
def commitment_defaults(db):
    """The default service commitments, as their data migration writes them: a transactional
    test runs after others have flushed the tables, migration data included."""
    if not CommitmentSet.objects.exists():
        migration = importlib.import_module("promises.migrations.0002_default_commitments")
        migration.add(django_apps, None)


@pytest.fixture
def postgres_only():
    """Skips the test off PostgreSQL (fails it under CI=true): row-lock races need it."""
    if connection.vendor != "postgresql":
        reason = "row-lock races need PostgreSQL (set DATABASE_URL)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def jinan(reference_data) -> Division:
    return Division.objects.get(code="370100")


@pytest.fixture
def qingdao(reference_data) -> Division:
    return Division.objects.get(code="370200")


def _role(username: str, needs: str, doc: str = "", **traits):
    """A fixture for one role's user (`needs`: the fixture its scope needs loaded first)."""

    @pytest.fixture
    def user(request) -> User:
        request.getfixturevalue(needs)
        return UserFactory(username=username, **traits)

    user.__doc__ = doc
    return user


# One user per role; the outsider is signed in but has no business with Jinan's applications:
# an engineer in Qingdao.
applicant = _role("t_resident", "db", "Bound to the demo resident 张伟.", identity=ZHANG_WEI)
enterprise_applicant = _role(
    "t_enterprise", "db", "Bound to the demo enterprise.", enterprise=True, identity=QUANNENG
)
clerk = _role("t_clerk", "jinan", clerk=True)
engineer = _role("t_engineer", "jinan", engineer=True)
approver = _role("t_approver", "jinan", approver=True)
supervisor = _role("t_supervisor", "db", supervisor=True)
outsider = _role("t_outsider", "qingdao", "An engineer of another city.", outsider=True)


@pytest.fixture
def holder(db):
    """An applicant who holds an electricity account (see `held_account`)."""
    return UserFactory(username="t_holder")


@pytest.fixture
def held_account(holder, jinan):
    """An account held by someone else: what a transfer applicant takes over."""
    return make_account(
        holder, "37010200000002", "赵敏", "历下区泉城路2号", arrears=Decimal("120.50")
    )


def pytest_terminal_summary(terminalreporter):
    from django.conf import settings

    db = settings.DATABASES["default"]
    broker = settings.REDIS_URL.split("@")[-1] if settings.REDIS_URL else "none (eager)"
    terminalreporter.write_sep("-", "backends")
    terminalreporter.write_line(f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db['NAME']})")
    terminalreporter.write_line(f"broker: {broker}")
    terminalreporter.write_line(
        f"tasks run by a real Celery worker: {RUN_STATS['worker_tasks']}"
        f" (CI={os.environ.get('CI', '')})"
    )


@pytest.fixture(scope="session")
def mock_platform():
    platform = MockPlatform()
    yield platform
    platform.stop()


@pytest.fixture
def govclient(mock_platform, settings):
    settings.GOVDATA_BASE_URL = mock_platform.url
    mock_platform.set_faults({})
    client = GovDataClient(
        mock_platform.url, settings.GOVDATA_CONSUMER, settings.GOVDATA_KEY, read_timeout=2
    )
    yield client
    client.close()
    mock_platform.set_faults({})


@pytest.fixture
def trusted_proxies(settings):
    """The load balancer's network is trusted to name the client in X-Forwarded-For."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "fd00::/64"]


@pytest.fixture(scope="session")
def payment_platform_process():
    platform = MockService("payments.mock")
    yield platform
    platform.stop()


@pytest.fixture
def payment_platform(payment_platform_process, settings):
    """The mock payment platform in its own process, the portal pointed at it."""
    from payments.client import reset_client

    settings.PAYMENT_BASE_URL = payment_platform_process.url
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = ["'self'", payment_platform_process.url]
    settings.CONTENT_SECURITY_POLICY = policy
    payment_platform_process.control("faults", {}, method="PUT")
    reset_client()
    yield payment_platform_process
    payment_platform_process.control("faults", {}, method="PUT")
    reset_client()


@pytest.fixture(scope="session")
def courier_process():
    courier = MockService("mailing.mock")
    yield courier
    courier.stop()


@pytest.fixture
def courier(courier_process, settings):
    """The mock courier in its own process; its statuses wait for the test (step_ms 60 s)
    unless the test sets faults of its own."""
    from mailing.client import reset_client

    settings.COURIER_BASE_URL = courier_process.url
    courier_process.control("faults", {"step_ms": 60000}, method="PUT")
    reset_client()
    yield courier_process
    courier_process.control("faults", {}, method="PUT")
    reset_client()
