"""The mock payment platform in its own process, and the portal pointed at it."""

import pytest

from payments.client import reset_client
from tests.helpers import MockService
from tests.workflow import HIGH, drive, surveyed


@pytest.fixture(scope="session")
def payment_platform_process():
    platform = MockService("payments.mock")
    yield platform
    platform.stop()


@pytest.fixture
def payment_platform(payment_platform_process, settings):
    settings.PAYMENT_BASE_URL = payment_platform_process.url
    payment_platform_process.control("faults", {}, method="PUT")
    reset_client()
    yield payment_platform_process
    payment_platform_process.control("faults", {}, method="PUT")
    reset_client()


@pytest.fixture
def waiting(enterprise_applicant, engineer, gov_platform, django_capture_on_commit_callbacks):
    """An enterprise's high-voltage application waiting to pay its scheme fee (¥63,000)."""
    application = surveyed(
        enterprise_applicant, engineer, django_capture_on_commit_callbacks, **HIGH
    )
    drive(application, [("confirm_scheme", "applicant", {})], {"applicant": enterprise_applicant})
    assert application.state == "payment_pending"
    return application
