"""An application whose contract is about to be signed."""

import pytest

from tests.workflow import to_contract


@pytest.fixture
def contract_ready(applicant, engineer, gov_platform, django_capture_on_commit_callbacks):
    """A new connection without external works, waiting for the contract."""
    return to_contract(applicant, engineer, django_capture_on_commit_callbacks)
