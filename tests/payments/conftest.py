"""An application waiting to pay its fee."""

import pytest

from tests.workflow import HIGH, drive, surveyed


@pytest.fixture
def waiting(enterprise_applicant, engineer, gov_platform, django_capture_on_commit_callbacks):
    """An enterprise's high-voltage application waiting to pay its scheme fee (¥63,000)."""
    application = surveyed(
        enterprise_applicant, engineer, django_capture_on_commit_callbacks, **HIGH
    )
    drive(application, [("confirm_scheme", "applicant", {})], {"applicant": enterprise_applicant})
    assert application.state == "payment_pending"
    return application
