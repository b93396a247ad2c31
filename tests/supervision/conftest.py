import pytest


@pytest.fixture(autouse=True)
def _divisions(reference_data):
    """Figures are kept per city and county: the province's divisions are loaded."""


@pytest.fixture(autouse=True)
def _in_process_platform(gov_platform):
    """The government platform answers in process."""
