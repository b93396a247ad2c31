"""The integration tier: real PostgreSQL, real Redis, a real Celery worker process.

Without DATABASE_URL (PostgreSQL) and REDIS_URL answering, these tests are skipped with the
reason shown; under CI=true a missing service is a failure instead.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from portal.models import CustomerType, Role
from tests.factories import make_user
from tests.helpers import MockPlatform
from tests.integration.helpers import (
    PrivateRedis,
    Worker,
    artifacts_dir,
    missing_services,
    producer_broker,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.integration)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def real_services():
    missing = missing_services()
    if missing:
        reason = "integration tier needs real services: " + "; ".join(missing)
        if IN_CI:
            pytest.fail(reason + " (CI=true: a missing service is a failure)")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def mock_platform_process():
    platform = MockPlatform()
    yield platform
    platform.stop()


@pytest.fixture(scope="session")
def celery_worker_process(real_services, mock_platform_process, django_db_setup, django_db_blocker):
    """One worker for the session, on the configured Redis, talking to the mock platform."""
    with django_db_blocker.unblock():
        worker = Worker(
            settings.REDIS_URL, artifacts_dir() / "celery-worker.log", mock_platform_process.url
        )
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(celery_worker_process):
    with producer_broker(settings.REDIS_URL):
        yield celery_worker_process


@pytest.fixture
def private_redis(real_services):
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def applicant_in_jinan(real_services):
    call_command("loaddata", "divisions", "service_halls", verbosity=0)
    return make_user("it_resident", Role.APPLICANT, customer_type=CustomerType.RESIDENTIAL)
